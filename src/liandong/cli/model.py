"""`liandong model train|eval` — a category model from a city's labelled history (分类模型训练与评测)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix, f1_score

from liandong.routing.classifier import TextClassifier
from liandong.routing.history import DEFAULTS, fit_history

app = typer.Typer(help="分类模型：训练与评测", no_args_is_help=True)
csv.field_size_limit(sys.maxsize)


def read_labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in (text_col, label_col) if c not in (reader.fieldnames or [])]
        if missing:
            typer.echo(f"错误：{path} 中没有列 {missing}（现有列：{reader.fieldnames}）", err=True)
            raise typer.Exit(2)
        rows = [(r[text_col] or "", r[label_col] or "") for r in reader]
    rows = [(t, lab) for t, lab in rows if t.strip() and lab.strip()]
    if not rows:
        typer.echo(f"错误：{path} 没有可用的数据行", err=True)
        raise typer.Exit(2)
    return [t for t, _ in rows], [lab for _, lab in rows]


@app.command("train")
def train(
    csv_path: Annotated[Path, typer.Option("--csv", help="带标签的历史诉求 CSV")],
    text_col: Annotated[str, typer.Option("--text-col")],
    label_col: Annotated[str, typer.Option("--label-col")],
    out: Annotated[Path, typer.Option("--out", help="模型输出目录")],
    c: Annotated[float, typer.Option("--c", help="线性 SVM 的正则参数 C")] = DEFAULTS["c"],
    min_df: Annotated[int, typer.Option("--min-df", min=1, help="特征至少出现在几条训练文本中")] = DEFAULTS["min_df"],
    nb: Annotated[bool, typer.Option("--nb/--no-nb", help="NB-SVM：按朴素贝叶斯对数计数比缩放特征（--no-nb：普通线性 SVM）")] = DEFAULTS["nb"],
    title_words: Annotated[int, typer.Option("--title-words", min=0, help="前几个词另作标题特征（0：不用）")] = DEFAULTS["title_words"],
    given_tokens: Annotated[bool, typer.Option("--given-tokens/--resegment", help="已分词（空格分隔）的训练文本按其原词使用，不再重新分词")] = DEFAULTS["given_tokens"],
    hmm: Annotated[bool, typer.Option("--hmm/--no-hmm", help="原始文本用 jieba 的 HMM 新词识别分词")] = DEFAULTS["hmm"],
) -> None:
    """Train a category model and save it to OUT.

    Words + character 1–2-grams over the words seen in training (so raw messages and pre-segmented,
    stop-word-stripped ones look alike; pre-segmented training text keeps its own tokens, raw text is
    segmented by jieba with its HMM), the first TITLE_WORDS words again as title features, TF-IDF over
    features in at least MIN_DF texts, a class-balanced NB-SVM (a plain linear SVM with --no-nb), softmax
    calibrated on a held-out fifth. Defaults chosen by 5-fold CV on the TipDM 2020 C messages (docs/routing.md).
    """
    texts, labels = read_labelled(csv_path, text_col, label_col)
    opts = {"c": c, "min_df": min_df, "nb": nb, "title_words": title_words, "given_tokens": given_tokens, "hmm": hmm}
    model = fit_history(texts, labels, calibrate=True,
                        meta={"source": csv_path.name, "rows": len(texts), "text_col": text_col, "label_col": label_col} | opts,
                        **opts)
    model.save(out)
    typer.echo(f"已训练：{len(texts)} 条，{len(model.labels)} 类 → {out}")


@app.command("eval")
def evaluate(
    model_dir: Annotated[Path, typer.Option("--model", help="模型目录")],
    csv_path: Annotated[Path, typer.Option("--csv")],
    text_col: Annotated[str, typer.Option("--text-col")],
    label_col: Annotated[str, typer.Option("--label-col")],
    as_json: Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象")] = False,
) -> None:
    """Print accuracy, macro-F1, the per-class table and the confusion matrix."""
    if not (model_dir / "model.pkl").exists():
        typer.echo(f"错误：{model_dir} 中没有模型（model.pkl）", err=True)
        raise typer.Exit(2)
    model = TextClassifier.load(model_dir)
    texts, gold = read_labelled(csv_path, text_col, label_col)
    pred = model.predict(texts)
    labels = sorted(set(gold) | set(pred))
    acc, macro = accuracy_score(gold, pred), f1_score(gold, pred, average="macro", labels=labels, zero_division=0)
    report = classification_report(gold, pred, labels=labels, output_dict=True, zero_division=0)
    matrix = confusion_matrix(gold, pred, labels=labels)
    if as_json:
        typer.echo(json.dumps({
            "accuracy": round(acc, 4), "macro_f1": round(macro, 4), "rows": len(gold), "labels": labels,
            "per_class": {k: {m: round(v, 4) for m, v in report[k].items()} for k in labels},
            "confusion_matrix": matrix.tolist(),
        }, ensure_ascii=False))
        return
    typer.echo(f"样本数：{len(gold)}\n准确率 accuracy：{acc:.4f}\n宏平均 macro-F1：{macro:.4f}\n")
    width = max(len(lab) for lab in labels) * 2
    typer.echo(f"{'类别':<{width}}  precision  recall  f1      support")
    for lab in labels:
        r = report[lab]
        typer.echo(f"{lab:<{width}}  {r['precision']:.4f}     {r['recall']:.4f}  {r['f1-score']:.4f}  {int(r['support'])}")
    typer.echo("\n混淆矩阵（行=真实，列=预测）：")
    typer.echo("\t".join(["", *(str(i) for i in range(len(labels)))]))
    for i, lab in enumerate(labels):
        typer.echo("\t".join([f"{i}:{lab}", *(str(v) for v in matrix[i])]))
