#!/usr/bin/env python3
"""Where extraction loses points: sorts every page of an evaluation set into an error category
and adds up the score each category costs (issue 3's "analysis of the remaining errors").

Input: the per-page details written by the scorer
(`../shared/tools/score-extraction --set all --details FILE`) and the set's pages and truth in
../shared/data/extraction. Standard library only.

Body (word F1, WCXB; 1 - F1 is a page's loss):
  no truth         the truth has no words: every extractor scores 0
  not in the HTML  under half of the truth's words are anywhere in the page's text (a script
                   app that renders its content in the browser, or text behind a click)
  boilerplate kept recall >= 0.8, precision < 0.8
  content lost     precision >= 0.8, recall < 0.8
  wrong root       both below 0.8
  near miss        both at least 0.8
Titles: the truth is our candidate's text cut differently (one holds the other), another
candidate of the page (<title>, og:title, an <h1>, JSON-LD headline, one part of the <title>
split at its separators), or none of them. Segments (trafilatura-eval): a missing "with" segment
is content lost, or not in the HTML when its text is nowhere in the page's text; a "without"
segment found is boilerplate kept. Dates: none found, within two days (a time zone or
the printed date against the metadata), same year, or another year.

Usage: error_analysis.py DETAILS [--shared DIR] [--set NAME ...]
"""
import argparse
import collections
import html
import json
import lzma
import re
import sys
import tarfile
from datetime import date
from pathlib import Path

WORD = re.compile(r"\w+")
NONWORD = re.compile(r"[\W_]+")
TAG = re.compile(r"<[^>]+>")
SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014:\u00b7\u00bb/]\s+")


def words(text):
    return WORD.findall(text.lower()) if text else []


def label(text):
    return NONWORD.sub(" ", (text or "").casefold()).strip()


def same_label(a, b):
    """The scorer's rule: equal, or one holds the other with a length ratio >= 0.8."""
    a, b = label(a), label(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return short in long_ and len(short) / len(long_) >= 0.8


def page_text(raw):
    return html.unescape(TAG.sub(" ", SKIPPED.sub(" ", raw)))


def title_candidates(raw):
    def clean(s):
        return html.unescape(TAG.sub("", s)).strip()

    out = []
    m = re.search(r"<title[^>]*>(.*?)</title>", raw, re.S | re.I)
    if m:
        t = clean(m.group(1))
        out.append(t)
        out.extend(SEPARATORS.split(t))
    for m in re.finditer(r"<meta[^>]+>", raw, re.I):
        tag = m.group(0)
        if re.search(r"""(property|name)=["'](og:title|twitter:title)["']""", tag, re.I):
            c = re.search(r"""content=["']([^"']*)""", tag, re.I)
            if c:
                out.append(html.unescape(c.group(1)))
    out.extend(clean(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", raw, re.S | re.I))
    out.extend(re.findall(r'"headline"\s*:\s*"([^"]*)"', raw))
    return [c for c in out if label(c)]


def body_category(d, truth_words, raw):
    if not truth_words:
        return "no truth"
    on_page = collections.Counter(words(page_text(raw)))
    need = collections.Counter(truth_words)
    present = sum(min(n, on_page[w]) for w, n in need.items())
    if present < 0.5 * len(truth_words):
        return "not in the HTML"
    p, r = d.get("precision", 0.0), d.get("recall", 0.0)
    if p >= 0.8 and r >= 0.8:
        return "near miss"
    if r >= 0.8:
        return "boilerplate kept"
    if p >= 0.8:
        return "content lost"
    return "wrong root"


def title_category(d, raw):
    pred, truth = d.get("title_pred"), d.get("title_truth")
    if pred and truth and (label(truth) in label(pred) or label(pred) in label(truth)):
        return "cut differently"
    if any(same_label(c, truth) for c in title_candidates(raw)):
        return "another candidate"
    return "no candidate"


def date_category(d):
    pred, truth = d.get("date_pred"), d.get("date_truth")
    if not pred:
        return "none found"
    try:
        days = abs((date.fromisoformat(pred[:10]) - date.fromisoformat(truth[:10])).days)
    except ValueError:
        return "another year"
    if days <= 2:
        return "within two days"
    return "same year" if pred[:4] == truth[:4] else "another year"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("details")
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2].parent / "shared"))
    ap.add_argument("--set", action="append", dest="sets")
    args = ap.parse_args()
    details = collections.defaultdict(dict)
    for line in open(args.details, encoding="utf-8"):
        d = json.loads(line)
        details[d["set"]][d["file"]] = d
    for set_name in args.sets or sorted(details):
        set_dir = Path(args.shared) / "data" / "extraction" / set_name
        truth_path = set_dir / "truth.jsonl.xz"
        opener = lzma.open if truth_path.exists() else open
        truth_path = truth_path if truth_path.exists() else set_dir / "truth.jsonl"
        truth = {}
        with opener(truth_path, "rt", encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)
                truth[t["file"]] = t
        pages = {}
        with tarfile.open(set_dir / "pages.tar.xz") as tar:
            for m in tar:
                if m.isfile():
                    name = Path(m.name).name
                    if name in details[set_name]:
                        pages[name] = tar.extractfile(m).read().decode("utf-8", "replace")
        body = collections.defaultdict(lambda: [0, 0.0])
        body_by_type = collections.defaultdict(lambda: collections.defaultdict(float))
        titles, dates, segments = collections.Counter(), collections.Counter(), collections.Counter()
        for name, d in details[set_name].items():
            raw = pages.get(name, "")
            t = truth.get(name, {})
            if "tp" in d:
                text = " ".join(page_text(raw).split()).lower()
                for seg in d.get("missing_with", []):
                    on_page = " ".join(seg.split()).lower() in text
                    segments["content lost" if on_page else "not in the HTML"] += 1
                segments["boilerplate kept"] += len(d.get("found_without", []))
                segments["kept right"] += d["tp"] + d.get("tn", 0)
            elif "f1" in d:
                cat = body_category(d, words(t.get("body")), raw)
                body[cat][0] += 1
                body[cat][1] += 1.0 - d["f1"]
                body_by_type[d.get("page_type") or "-"][cat] += 1.0 - d["f1"]
            if d.get("title_ok") is False:
                titles[title_category(d, raw)] += 1
            if d.get("date_ok") is False:
                dates[date_category(d)] += 1
        n = len(details[set_name])
        print(f"== {set_name}: {n} pages")
        if body:
            total = sum(v[1] for v in body.values())
            print(f"  body: word F1 lost {total / n:.4f} in all")
            for cat, (pages_in, loss) in sorted(body.items(), key=lambda kv: -kv[1][1]):
                print(f"    {cat:17} {pages_in:5} pages  F1 lost {loss / n:.4f}")
            print("    by page type (F1 lost, of the whole set):")
            for kind, cats in sorted(body_by_type.items(), key=lambda kv: -sum(kv[1].values())):
                parts = ", ".join(f"{c} {v / n:.4f}" for c, v in sorted(cats.items(), key=lambda kv: -kv[1]) if v)
                print(f"      {kind:14} {sum(cats.values()) / n:.4f}: {parts}")
        if segments:
            parts = ", ".join(f"{k} {v}" for k, v in segments.most_common())
            print(f"  segments: {sum(segments.values())} ({parts})")
        for what, counts in (("titles", titles), ("dates", dates)):
            if counts:
                parts = ", ".join(f"{k} {v}" for k, v in counts.most_common())
                print(f"  wrong {what}: {sum(counts.values())} ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
