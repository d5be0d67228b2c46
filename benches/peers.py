#!/usr/bin/env python3
"""awsenv against the tools people use today, side by side in one run.

    python3 benches/peers.py            # writes target/peers.md and target/peers.png

Installs the peers from PyPI into target/peers-venv (the AWS CLI `awscli`, `awsume`, botocore,
and matplotlib for the plot), builds awsenv and the floor binary in release mode, writes the
same kind of config at 5, 5,000 and 50,000 profiles, starts a loopback STS + SSO portal, and
times every command whole-process with hyperfine (median of many runs after warm-up). Not run
by CI: it takes minutes and downloads the peers.
"""

import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
VENV = TARGET / "peers-venv"
COUNTS = [5, 5000, 50000]
PEER_COUNTS = [5, 5000]


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def setup():
    if not (VENV / "bin" / "aws").exists():
        sh(sys.executable, "-m", "venv", str(VENV))
        sh(str(VENV / "bin" / "pip"), "install", "--quiet", "awscli", "awsume", "botocore", "matplotlib")
    sh("cargo", "build", "--release", "--quiet", "--bin", "awsenv", "--bin", "awsenv-fetch", "--example", "floor", cwd=ROOT)
    if not shutil.which("hyperfine"):
        sys.exit("hyperfine is needed (Debian: apt-get install hyperfine)")


class Handler(http.server.BaseHTTPRequestHandler):
    """STS AssumeRole (POST /) and the SSO portal's GetRoleCredentials (GET), one-hour keys."""

    def log_message(self, *args):
        pass

    def _send(self, body, kind):
        data = body.encode()
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        self._send(
            "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROA:bench</AssumedRoleId>"
            "<Arn>arn:aws:sts::123456789012:assumed-role/bench/s</Arn></AssumedRoleUser><Credentials>"
            "<AccessKeyId>ASIABENCH</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
            f"<Expiration>{expires}</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>",
            "text/xml",
        )

    def do_GET(self):
        creds = {"accessKeyId": "ASIASSOBENCH", "secretAccessKey": "s", "sessionToken": "t",
                 "expiration": int((time.time() + 3600) * 1000)}
        self._send(json.dumps({"roleCredentials": creds}), "application/json")


def write_home(home: Path, count: int, endpoint: str):
    aws = home / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True, exist_ok=True)
    config = ["[default]\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n"]
    credentials = ["[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"]
    for i in range(count):
        if i == count // 2:
            config.append("[profile static-target]\nregion = eu-west-1\n\n")
            credentials.append("[static-target]\naws_access_key_id = AKIAIOSFODNN7TARGET0\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYTARGETKEY\n\n")
            config.append(f"[profile role-target]\nrole_arn = arn:aws:iam::123456789012:role/bench\nsource_profile = static-target\nregion = eu-west-1\nendpoint_url = {endpoint}\n\n")
            config.append(f"[profile sso-target]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Bench\nregion = eu-west-1\nendpoint_url = {endpoint}\n\n")
        if i % 3 == 0:
            config.append(f"[profile role-{i:05}]\nrole_arn = arn:aws:iam::123456789012:role/team-{i}\nsource_profile = default\nregion = us-west-2\n\n")
        elif i % 3 == 1:
            config.append(f"[profile sso-{i:05}]\nsso_session = corp\nsso_account_id = {100000000000 + i:012}\nsso_role_name = Admin\nregion = eu-central-1\n\n")
        else:
            credentials.append(f"[static-{i:05}]\naws_access_key_id = AKIAEXAMPLE{i:09}\naws_secret_access_key = secret{i:034}\n\n")
    (aws / "config").write_text("".join(config))
    (aws / "credentials").write_text("".join(credentials))
    # The token an `aws sso login` for [sso-session corp] leaves (sha1 of "corp").
    import hashlib
    token = {"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "bench",
             "expiresAt": "2099-01-01T00:00:00Z"}
    (aws / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json")).write_text(json.dumps(token))


def time_command(name, command, env, runs, warmup):
    out = TARGET / "peers-hyperfine.json"
    sh("hyperfine", "--shell=none", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
       "--export-json", str(out), command, env=env, stdout=subprocess.DEVNULL)
    result = json.loads(out.read_text())["results"][0]
    return result["median"]


def main():
    setup()
    venv_python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() != VENV.resolve():
        # Go on in the venv, where matplotlib is.
        os.execv(str(venv_python), [str(venv_python), __file__])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    awsenv = ROOT / "target/release/awsenv"
    floor = ROOT / "target/release/examples/floor"
    venv_bin = VENV / "bin"
    python = venv_bin / "python"
    botocore_line = ("import botocore.session as s; c = s.Session(profile='static-target').get_credentials()"
                     ".get_frozen_credentials(); print(c.access_key)")
    rows = []
    for count in COUNTS:
        home = Path(tempfile.mkdtemp(prefix=f"awsenv-peers-{count}-"))
        write_home(home, count, endpoint)
        env = {"PATH": f"{venv_bin}:/usr/bin:/bin", "HOME": str(home), "AWSENV_CACHE_DIR": str(home / ".cache/awsenv"),
               "AWS_EC2_METADATA_DISABLED": "true", "LANG": "C.UTF-8"}
        time.sleep(2.1)  # let the files age past the section index's racy window, as real files have
        commands = [
            ("floor (read both files)", f"{floor}", 300, 30),
            ("awsenv use (static)", f"{awsenv} use static-target", 300, 30),
            ("awsenv use (role, warm cache)", f"{awsenv} use role-target", 300, 30),
            ("awsenv use (SSO, warm cache)", f"{awsenv} use sso-target", 300, 30),
        ]
        if count in PEER_COUNTS:
            peer_runs = 15 if count == 5 else 5
            commands += [
                # PyPI's AWS CLI is version 1, which has no `configure export-credentials`; its
                # nearest equivalent resolves the profile's credentials and shows them (masked).
                ("aws configure list (static)", f"{venv_bin}/aws configure list --profile static-target", peer_runs, 2),
                ("aws configure list (role, warm cache)", f"{venv_bin}/aws configure list --profile role-target", peer_runs, 2),
                ("aws configure list (SSO, warm cache)", f"{venv_bin}/aws configure list --profile sso-target", peer_runs, 2),
                # awsume's shell function only evaluates what its Python half prints.
                ("awsume (static)", f"{venv_bin}/awsumepy static-target -s", peer_runs, 2),
                ("botocore one-liner (static)", f"{python} -c \"{botocore_line}\"", peer_runs, 2),
            ]
        for name, command, runs, warmup in commands:
            try:
                median = time_command(name, command, env, runs, warmup)
            except subprocess.CalledProcessError:
                median = None
            rows.append((count, name, median))
            shown = f"{median * 1000:.3f} ms" if median is not None else "failed"
            print(f"{count:>6}  {name:<52} {shown}", flush=True)
        shutil.rmtree(home, ignore_errors=True)
    server.shutdown()
    write_report(rows)


def write_report(rows):
    floor = {c: m for c, n, m in rows if n.startswith("floor")}
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    try:
        model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
        machine = f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}"
    except (OSError, StopIteration):
        pass
    lines = ["| profiles | command | median | vs floor |", "|---:|---|---:|---:|"]
    for count, name, median in rows:
        if median is None:
            lines.append(f"| {count} | {name} | failed | |")
        else:
            lines.append(f"| {count} | {name} | {median * 1000:.2f} ms | {median / floor[count]:.1f}x |")
    aws = {c: m for c, n, m in rows if n == "aws configure list (static)" and m}
    mine = {c: m for c, n, m in rows if n == "awsenv use (static)" and m}
    verdicts = [f"{c} profiles: awsenv use is {aws[c] / mine[c]:.0f}x faster than the AWS CLI (target >= 100x)"
                for c in aws if c in mine]
    report = "\n".join(lines) + f"\n\nMachine: {machine}. Whole-process wall time (hyperfine, median; awsenv and the floor 300 runs after 30 warm-up, the Python tools 5-15 runs after 2).\n\n" + "\n".join(verdicts) + "\n"
    (TARGET / "peers.md").write_text(report)
    print(report)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 5))
    for name in dict.fromkeys(n for _, n, _ in rows):
        points = [(c, m * 1000) for c, n, m in rows if n == name and m]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("profiles in ~/.aws/config + credentials")
    ax.set_ylabel("median wall time per run (ms)")
    ax.set_title("Resolving one profile, whole process")
    ax.legend(fontsize=7)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(TARGET / "peers.png", dpi=120)
    print(f"written to {TARGET / 'peers.md'} and {TARGET / 'peers.png'}")


if __name__ == "__main__":
    main()
