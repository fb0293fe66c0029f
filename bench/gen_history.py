#!/usr/bin/env python3
"""A git repository with a long history and known secrets, for bench/history.sh.

    gen_history.py DIR [--commits N] [--files F]

Makes DIR/repo (a work tree; its history is written with `git fast-import`,
in one process) of N commits over F source files in 40 directories: each
commit rewrites a few lines of three files. Every 250th commit plants a
made-up GitHub token (a different one each time) in a `.env` file of its
own, and the next commit deletes it, so that only the history holds it;
a few are planted on a side branch only. Writes DIR/truth.tsv:
`path<TAB>line<TAB>commit` for every planted token (the commit that brought
it, as a full id). Every token is made up.
"""
import argparse, os, random, subprocess

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def token(rng):
    return "ghp_" + "".join(rng.choice(ALPHABET) for _ in range(36))


def source(rng, name, lines):
    words = ["config", "client", "retry", "timeout", "parse", "render", "value", "index"]
    return [
        f"def {name}_{i}(x):  # {rng.choice(words)} {rng.choice(words)}\n    return x + {rng.randint(0, 999)}"
        for i in range(lines)
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(21)
    repo = os.path.join(args.dir, "repo")
    os.makedirs(repo)
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    files = {
        f"src/pkg{i % 40}/module_{i}.py": source(rng, f"f{i}", 30) for i in range(args.files)
    }
    paths = sorted(files)
    out = []
    planted = []  # (mark, path, line, branch)

    def data(text):
        raw = text.encode()
        out.append(b"data %d\n" % len(raw) + raw + b"\n")

    def commit(mark, ref, parent, when, changes, message):
        out.append(f"commit {ref}\nmark :{mark}\n".encode())
        out.append(f"author Dev <dev@example.com> {when} +0000\n".encode())
        out.append(f"committer Dev <dev@example.com> {when} +0000\n".encode())
        data(message)
        if parent:
            out.append(f"from :{parent}\n".encode())
        for kind, path, text in changes:
            if kind == "M":
                out.append(f"M 100644 inline {path}\n".encode())
                data(text)
            else:
                out.append(f"D {path}\n".encode())

    when = 1_700_000_000
    mark = 0
    main_tip = None
    for n in range(args.commits):
        mark += 1
        when += 600
        if n == 0:
            changes = [("M", p, "\n".join(files[p]) + "\n") for p in paths]
        else:
            changes = []
            for p in rng.sample(paths, 3):
                lines = files[p]
                lines[rng.randrange(len(lines))] = f"# edit {n}: {rng.random():.6f}"
                changes.append(("M", p, "\n".join(lines) + "\n"))
        if n % 250 == 100:
            path = f"deploy/env-{n}/.env"
            changes.append(("M", path, f"# deploy {n}\nAPP_ENV=prod\nGITHUB_TOKEN={token(rng)}\n"))
            planted.append((mark, path, 3))
        if n % 250 == 101:
            changes.append(("D", f"deploy/env-{n - 1}/.env", None))
        commit(mark, "refs/heads/main", main_tip, when, changes, f"change {n}\n")
        main_tip = mark
        if n % 2500 == 1200:
            # A side branch of one commit: only that ref reaches its token.
            mark += 1
            path = f"experiments/try-{n}.py"
            text = f"# try\n\nclient = Client(token=\"{token(rng)}\")\n"
            commit(mark, f"refs/heads/try-{n}", main_tip, when + 1, [("M", path, text)], "try\n")
            planted.append((mark, path, 3))
            out.append(f"reset refs/heads/main\nfrom :{main_tip}\n".encode())
    marks = os.path.abspath(os.path.join(args.dir, "marks"))
    subprocess.run(
        ["git", "fast-import", "--quiet", f"--export-marks={marks}"],
        cwd=repo,
        input=b"".join(out),
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    ids = {}
    with open(marks) as f:
        for line in f:
            m, sha = line.split()
            ids[int(m[1:])] = sha
    with open(os.path.join(args.dir, "truth.tsv"), "w") as f:
        for m, path, line in planted:
            f.write(f"{path}\t{line}\t{ids[m]}\n")


if __name__ == "__main__":
    main()
