"""scripts/format --check (run first by scripts/test) fails on a C++ file
that is not formatted as .clang-format says, and passes once it is."""
import os
import shutil
import subprocess
import tempfile

from harness import SOURCE, check, run_tests


def make_repo(body):
    tmp = tempfile.mkdtemp(prefix="disco-format-")
    os.makedirs(os.path.join(tmp, "scripts"))
    shutil.copy(os.path.join(SOURCE, "scripts", "format"), os.path.join(tmp, "scripts"))
    shutil.copy(os.path.join(SOURCE, ".clang-format"), tmp)
    with open(os.path.join(tmp, "x.cpp"), "w") as f:
        f.write(body)
    subprocess.run(["git", "init", "-q"], cwd=tmp, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp, check=True)
    return tmp


def check_format(repo):
    return subprocess.run([os.path.join(repo, "scripts", "format"), "--check"],
                          capture_output=True, text=True)


def test_unformatted_file_fails_the_check():
    repo = make_repo("int  f( int x ){return x+1;}\n")
    res = check_format(repo)
    check(res.returncode == 1, f"exit {res.returncode}: {res.stdout}{res.stderr}")
    check("x.cpp" in res.stderr, "names the file: " + res.stderr)
    subprocess.run([os.path.join(repo, "scripts", "format"), "--fix"], check=True)
    res = check_format(repo)
    check(res.returncode == 0, "formatted file passes: " + res.stderr)


def test_the_tree_is_formatted():
    res = subprocess.run([os.path.join(SOURCE, "scripts", "format"), "--check"],
                         capture_output=True, text=True, cwd=SOURCE)
    check(res.returncode == 0, res.stderr)


if __name__ == "__main__":
    run_tests([test_unformatted_file_fails_the_check, test_the_tree_is_formatted])
