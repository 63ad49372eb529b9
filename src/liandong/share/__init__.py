"""Open data and integration (数据共享): registered consumers, scoped and masked reads, every access logged,
a change feed, the intermediate database (中间库) and signed batch files. See docs/open-data.md."""
