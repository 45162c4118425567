#!/usr/bin/env python3
"""Crash harness for `dossier index` (issue 8): SIGKILL at seeded random moments.

Builds an archive with ../shared/tools/archive-gen, then repeats: change the corpus a little
(add, change and delete pages, so every run has work and a commit to make), start
`dossier index`, kill it with SIGKILL at a random moment of the expected run time (so kills
land while walking, extracting, committing and merging), and check that

  * the index opens and `dossier search` works,
  * the document count is either the count of the last finished commit or the count of the
    corpus at this run (a commit is never half-visible),
  * no document id appears twice.

A final run without a kill must finish with exactly one document per page. Prints one line
per kill and a RESULT line. Exit 0 when losses and duplicates are 0, else 1; 2 on setup
errors (or when ../shared is absent: then it only says so and exits 0).

    tests/crash/harness.py --dossier target/release/dossier --kills 50 --seed 7
"""
import argparse, json, os, random, shutil, signal, subprocess, sys, tempfile, time
from pathlib import Path

def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)

def indexed_ids(dossier, index):
    out = run([dossier, "search", "", "--index", str(index), "--limit", "10000", "--json", "--keep-duplicates"])
    if out.returncode not in (0, 1):
        raise RuntimeError(f"search failed ({out.returncode}): {out.stderr.strip()}")
    return [h["path"] for h in json.loads(out.stdout)["hits"]]

def document_count(dossier, index):
    out = run([dossier, "stats", "--json", "--index", str(index)])
    if out.returncode != 0:
        raise RuntimeError(f"stats failed: {out.stderr.strip()}")
    return json.loads(out.stdout)["documents"]

def pages(corpus):
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file())

def mutate(corpus, spare, rng, step):
    """Adds a few pages from the spare pool, deletes a few, and changes a few."""
    current = pages(corpus)
    for p in rng.sample(current, min(3, len(current))):
        p.unlink()
    for p in rng.sample(pages(corpus), min(3, len(pages(corpus)))):
        p.write_bytes(p.read_bytes().replace(b"</body>", f"<p>Edit {step}.</p></body>".encode()))
    for _ in range(min(20, len(spare))):
        src = spare.pop()
        dst = corpus / "added" / f"{step}-{src.name}"
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossier", default="target/release/dossier")
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[3] / "shared"))
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--pages", type=int, default=3000, help="archive-gen --limit")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    gen = Path(args.shared) / "tools" / "archive-gen"
    if not gen.exists():
        print(f"crash harness: {gen} not found; skipping")
        return 0
    dossier = str(Path(args.dossier).resolve())
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        archive = tmp / "archive"
        r = run([sys.executable, str(gen), str(archive), "--limit", str(args.pages * 2), "--quiet"])
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 2
        all_pages = pages(archive)
        corpus = tmp / "corpus"
        for p in all_pages[: args.pages]:
            dst = corpus / p.relative_to(archive)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, dst)
        spare = all_pages[args.pages:]
        rng.shuffle(spare)
        index = tmp / "index"
        started = time.monotonic()
        r = run([dossier, "index", str(corpus), "--index", str(index), "--quiet"])
        full_run = time.monotonic() - started
        if r.returncode not in (0, 1):
            print(r.stderr, file=sys.stderr)
            return 2
        # One incremental run, timed, so kills can aim inside such runs too.
        mutate(corpus, spare, rng, -1)
        started = time.monotonic()
        run([dossier, "index", str(corpus), "--index", str(index), "--quiet"])
        incremental_run = time.monotonic() - started
        committed = document_count(dossier, index)
        losses = duplicates = half_visible = 0
        for k in range(args.kills):
            mutate(corpus, spare, rng, k)
            expected_new = len(pages(corpus))
            # Every third run rebuilds the whole index (a long run with a big commit and
            # merges); the others are incremental. The kill lands anywhere in the run.
            rebuild = k % 3 == 2
            span = full_run if rebuild else incremental_run
            delay = span * 1.1 * rng.random()
            cmd = [dossier, "index", str(corpus), "--index", str(index), "--quiet"] + (["--rebuild"] if rebuild else [])
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Every fourth run is left to finish, so later kills hit an index with newer commits.
            spared = k % 4 == 3
            if spared:
                delay = 0.0
                proc.wait()
            time.sleep(delay)
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            try:
                count = document_count(dossier, index)
                ids = indexed_ids(dossier, index)
            except RuntimeError as e:
                print(f"kill {k + 1}: index unusable after kill: {e}")
                losses += 1
                continue
            dup = len(ids) - len(set(ids))
            duplicates += dup
            if count not in (committed, expected_new):
                half_visible += 1
            if count == expected_new:
                committed = count
            kind = ("rebuild" if rebuild else "incremental") + (" (not killed)" if spared else "")
            print(f"run {k + 1:>2}: {kind:<24} kill at {delay:5.2f}s {'(run had finished)' if finished else ''} "
                  f"documents={count} last_commit={committed} corpus={expected_new} duplicates={dup}")
        r = run([dossier, "index", str(corpus), "--index", str(index), "--quiet"])
        final_ids = indexed_ids(dossier, index)
        expected = {str(p.relative_to(corpus)) for p in pages(corpus)}
        lost = len(expected - set(final_ids))
        extra = len(final_ids) - len(set(final_ids))
        losses += lost
        duplicates += extra
        print(f"final run: exit {r.returncode}, documents={len(final_ids)} pages={len(expected)} "
              f"lost={lost} duplicates={extra}")
        kills = args.kills - args.kills // 4
        print(f"RESULT crash runs={args.kills} kills={kills} losses={losses} duplicates={duplicates} "
              f"incremental_run_s={incremental_run:.2f} "
              f"half_visible_commits={half_visible} pages={len(expected)} full_run_s={full_run:.2f}")
        return 0 if losses == 0 and duplicates == 0 and half_visible == 0 else 1

if __name__ == "__main__":
    sys.exit(main())
