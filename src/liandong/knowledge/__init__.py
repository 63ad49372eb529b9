"""Knowledge base (知识库, 一问一答): entries with their versions and review, ranked search, answers on the call.

Importing this package loads nothing heavy: jieba, bm25s and pypinyin are loaded by `knowledge.search`.
"""
