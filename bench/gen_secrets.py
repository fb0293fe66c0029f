#!/usr/bin/env python3
"""A repository tree with known secrets and look-alikes, for bench/secrets.sh.

    gen_secrets.py DIR [--copies N]

Writes DIR/truth.tsv: `path<TAB>line<TAB>secret|decoy<TAB>what` for every
planted line, and the tree under DIR/repo. Secrets are the made-up tokens of
the secrets pack's positive fixtures, placed in the formats a repository
holds (.env, YAML, JSON, source code, .npmrc, docker config, a private key,
a Kubernetes Secret); decoys are what must not be reported (documented
examples, placeholders, UUIDs, git SHAs, lockfile integrity hashes, public
keys, base64 images). Every token is made up.
"""
import argparse, base64, os

SECRETS = [
    ("aws-key-id", "AKIAQ3EGRZ7VNXJ2MW4K"),
    ("aws-secret", "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"),
    ("github-pat", "ghp_R8dKq2vXn5Lm7Tz0Yw3Hc9Bf1Js4Ga6Pe2Ui"),
    ("gitlab-pat", "glpat-Q8vX2nR7pL5tZ9wY4cB1"),
    ("slack-bot", "xoxb-2834719026-4719263518-Hq8vXn2Rp7Lt5Zw9Yc4B"),
    ("stripe", "sk_live_51Hq8vXn2Rp7Lt5Zw9Yc4BmK3jD6"),
    ("google-api", "AIzaSyQ8vXn2Rp7Lt5Zw9Yc4BmK3jD6fH1gJ0kR"),
    ("npm", "npm_Q8vXn2Rp7Lt5Zw9Yc4BmK3jD6fH1gJ0kM2nP"),
    ("sendgrid", "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"),
    ("openai", "sk-proj-Q8vXn2Rp7Lt5Zw9Yc4BmT3BlbkFJK3jD6fH1gJ0kM2nP4qRz"),
    ("hf", "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"),
    ("vault", "hvs.CAESIQ8vXn2Rp7Lt5Zw9Yc4BmK3jD6fH1gJ0kM"),
    ("generic", "Zq8vXn2Rp7Lt5Zw9Yc4BmK3j"),
]
DECOYS = [
    ("aws-example", "AKIAIOSFODNN7EXAMPLE"),
    ("placeholder", "<your-github-token>"),
    ("template", "${GITHUB_TOKEN}"),
    ("uuid", "3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f"),
    ("git-sha", "9fceb02d0ae598e95dc970b74767f19372d61af8"),
    ("changeme", "changeme"),
]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--copies", type=int, default=20)
    a = ap.parse_args()
    repo = os.path.join(a.dir, "repo")
    truth = []
    def write(path, lines, marks):
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write("\n".join(lines) + "\n")
        for line, kind, what in marks:
            truth.append((path, line, kind, what))
    for c in range(a.copies):
        d = f"svc{c:03d}"
        for i, (name, value) in enumerate(SECRETS):
            # One format per secret, rotating through the copies.
            fmt = (c + i) % 6
            var = name.upper().replace("-", "_")
            if fmt == 0:
                write(f"{d}/{name}/.env", ["# settings", f"{var}_TOKEN={value}"], [(2, "secret", name)])
            elif fmt == 1:
                write(f"{d}/{name}/config.yaml", ["service:", "  name: api", f"  token: \"{value}\""], [(3, "secret", name)])
            elif fmt == 2:
                write(f"{d}/{name}/settings.py", ["import os", "", f"API_TOKEN = \"{value}\""], [(3, "secret", name)])
            elif fmt == 3:
                write(f"{d}/{name}/client.js", ["const client = new Client({", f"  token: '{value}',", "});"], [(2, "secret", name)])
            elif fmt == 4:
                write(f"{d}/{name}/app.json", ["{", f"  \"api_token\": \"{value}\"", "}"], [(2, "secret", name)])
            else:
                enc = base64.b64encode(value.encode()).decode()
                write(f"{d}/{name}/secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {name}", "data:", f"  token: {enc}"], [(6, "secret", name)])
        for name, value in DECOYS:
            write(f"{d}/decoys/{name}.env", ["# not a secret", f"API_TOKEN={value}"], [(2, "decoy", name)])
        write(f"{d}/decoys/package-lock.json", ["{", "  \"packages\": {", "    \"node_modules/left-pad\": {", "      \"integrity\": \"sha512-3b1N2Cg2Xq7vR2mK9pLw4tN8bZ1cF6hJ3sD5gY0eUaWiOoQeT4uV6wX8yZ0aB2cD4eF6gH8iJ0kL2mN4oP6qR8==\"", "    }", "  }", "}"], [(4, "decoy", "integrity")])
        write(f"{d}/decoys/id_rsa.pub", ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC8vXn2Rp7Lt5Zw9Yc4BmK3jD6fH1gJ0kM2nP4qR6sT8uV0wX2yZ4 deploy@ci"], [(1, "decoy", "public-key")])
        write(f"{d}/keys/deploy_key", ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", "QyNTUxOQAAACBq8vXn2Rp7Lt5Zw9Yc4BmK3jD6fH1gJ0kM2nP4qR6sT8uV0wAAAJh8vXn2", "-----END OPENSSH PRIVATE KEY-----"], [(1, "secret", "private-key")])
        # Ordinary code around the planted files.
        for k in range(20):
            write(f"{d}/src/module{k}.py", [f"def handler_{k}(event):", "    total = sum(event['items'])", "    return {'total': total, 'count': len(event['items'])}"], [])
    with open(os.path.join(a.dir, "truth.tsv"), "w") as f:
        for row in truth:
            f.write("\t".join(map(str, row)) + "\n")

main()
