#!/usr/bin/env python3
"""Builds a second judged collection for ranking checks from the Reuters-21578 newswire in
../shared/data/reuters: each article becomes one HTML page, each topic with enough articles
becomes a query (its human name, e.g. "Crude Oil"), and the articles tagged with that topic are
its relevant documents. The judgements are Reuters' own topic labels, not ours, so a ranking
change that only fits CACM shows up here. The output has the layout score-ranking expects
(docs.tar.xz, topics.tsv, qrels.txt); score it with
`../shared/tools/score-ranking --collection OUT`.

Usage: reuters_collection.py [--shared DIR] [--min-relevant N] OUT
"""
import argparse
import html
import io
import json
import lzma
import os
import sys
import tarfile


def page(article):
    title = html.escape(article.get("title") or "")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article.get("body") or [])
    date = (article.get("date") or "")[:10]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        f'<meta name="article:published_time" content="{date}">\n'
        f"</head>\n<body>\n<article>\n<h1>{title}</h1>\n{body}\n</article>\n</body>\n</html>\n"
    )


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "..", "shared"))
    ap.add_argument("--min-relevant", type=int, default=10)
    ap.add_argument("out")
    args = ap.parse_args()
    src = os.path.join(args.shared, "data", "reuters")
    if not os.path.isdir(src):
        print(f"reuters_collection: {src} not found", file=sys.stderr)
        return 2
    names = {}
    with open(os.path.join(src, "topics.tsv"), encoding="utf-8") as f:
        for line in f:
            code, _, name = line.rstrip("\n").partition("\t")
            names[code] = name
    relevant = {}
    os.makedirs(args.out, exist_ok=True)
    with tarfile.open(os.path.join(args.out, "docs.tar.xz"), "w:xz") as tar, lzma.open(
        os.path.join(src, "articles.jsonl.xz"), "rt", encoding="utf-8"
    ) as lines:
        for line in lines:
            a = json.loads(line)
            if not a.get("body"):
                continue
            doc_id = f"REUT-{a['id']:05d}"
            data = page(a).encode("utf-8")
            info = tarfile.TarInfo(f"reuters/{doc_id}.html")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for t in a.get("topics") or []:
                relevant.setdefault(t, []).append(doc_id)
    kept = sorted(t for t, docs in relevant.items() if len(docs) >= args.min_relevant and t in names)
    with open(os.path.join(args.out, "topics.tsv"), "w", encoding="utf-8") as f:
        for i, t in enumerate(kept, 1):
            f.write(f"{i}\t{names[t]}\n")
    with open(os.path.join(args.out, "qrels.txt"), "w", encoding="utf-8") as f:
        for i, t in enumerate(kept, 1):
            for d in relevant[t]:
                f.write(f"{i} 0 {d} 1\n")
    print(f"reuters_collection: {len(kept)} topics, {sum(len(relevant[t]) for t in kept)} judgements -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
