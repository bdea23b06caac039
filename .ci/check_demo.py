"""CI: check that a running ``manage.py demo`` really serves the sample article.

Usage: ``python .ci/check_demo.py PORT PASSWORD [SECONDS]``. Polls ``http://127.0.0.1:PORT/``
until the server answers (at most SECONDS, default 300), signs in as ``teacher`` through the
login form, opens the demo project and the sample article's page, and checks that the
article's title and its first body sentence are on them. Standard library only, so it runs
in the bare venv that the README's first command made. Exit 0 if served, 1 with one line why.
"""
from __future__ import annotations

import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TITLE = "The Continuing Saga of Russia-China Relations"
FIRST_SENTENCE = "Since 2014, Russo-Chinese bilateral cooperation has risen to an unprecedented level"


def main(port: int, password: str, seconds: float) -> str | None:
    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    deadline = time.monotonic() + seconds
    while True:
        try:
            with opener.open(base + "/", timeout=10) as response:
                response.read()
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if time.monotonic() > deadline:
                return f"the demo did not answer on {base}/ within {seconds:.0f} s ({error})"
            time.sleep(2)
    with opener.open(base + "/accounts/login/", timeout=30) as response:
        login_page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    if token is None:
        return "the login page has no CSRF token"
    form = urllib.parse.urlencode({
        "csrfmiddlewaretoken": token.group(1), "username": "teacher", "password": password, "next": "/p/demo/",
    }).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=form, headers={"Referer": base + "/accounts/login/"})
    with opener.open(request, timeout=30) as response:
        project_page = response.read().decode()
        landed = response.geturl()
    if not landed.endswith("/p/demo/"):
        return f"signing in as teacher did not lead to the demo project (ended at {landed})"
    if TITLE not in project_page:
        return "the demo project page does not list the sample article"
    link = re.search(r'href="(/d/\d+/)"', project_page)
    if link is None:
        return "the demo project page has no link to a document"
    with opener.open(base + link.group(1), timeout=60) as response:
        document_page = response.read().decode()
    if FIRST_SENTENCE not in document_page:
        return f"the document page {link.group(1)} does not show the sample article's text"
    print(f"demo serves the sample article at {base}{link.group(1)}")
    return None


if __name__ == "__main__":
    problem = main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 300)
    if problem:
        print(f"fresh-install check failed: {problem}", file=sys.stderr)
        sys.exit(1)
