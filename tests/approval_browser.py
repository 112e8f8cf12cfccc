"""A stand-in for the person's browser, run by `webbrowser` as $BROWSER: it opens the approval page and acts
as $APPROVAL_ACTION says (approve, deny, ignore, fail), recording the URL and page for the test."""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.parse
import urllib.request

url = sys.argv[1]
action = os.environ.get("APPROVAL_ACTION", "ignore")
if action == "fail":  # no usable browser: webbrowser.open returns False
    sys.exit(1)
page = urllib.request.urlopen(url, timeout=10).read().decode()
with open(os.environ["APPROVAL_RECORD"], "a", encoding="utf-8") as record:
    record.write(json.dumps({"url": url, "page": page}) + "\n")
if action in ("approve", "deny"):
    secret = re.search(r'name=secret value="([^"]+)"', page)
    assert secret, page
    form = urllib.parse.urlencode({"secret": secret.group(1), "decision": action}).encode()
    urllib.request.urlopen(urllib.request.Request(url, data=form), timeout=10).read()
