#!/usr/bin/python3
"""Checks that every document the code names exists in the repository.

Fails (exit 1, one line per problem) when a file of the repository (tracked, or new and not ignored)
  * names a Markdown document (`protocol.md`, `docs/toolchain.md`, `../../README.md`, ...) that
    does not exist: a bare name means `docs/<name>`, else the file's own directory, else the
    repository root;
  * cites a section that the document does not have: `protocol.md §4.2`, `toolchain.md §7.2-7.4`,
    `toolchain.md section 5.2`, and the `§` references chained after one (`protocol.md §2.1, §8.1`);
  * cites a bare section (`§4.6a`): in a document under docs/ it means that document, anywhere else
    `protocol.md` (the convention of the code); a section of an outside standard (`IEEE 1619-2007
    §5.3.2`, `LUKS1 ... Specification §2.4`) is recognised by the name in front of it and skipped;
  * mentions "the development log", a document that is not in the repository (its observations are
    `docs/protocol.md` §0.1);
  * names a script or manifest by a path with a directory (`ci/test-all.sh`, `../driver/ci/run.py`,
    `drivers/Cargo.toml`) that exists neither from the file's own directory, nor from a directory
    above it, nor from the repository root (a path after a shell variable, `$REPO_DIR/ci/x.sh`,
    is not checked);
  * (Markdown files) has a relative link `[text](target)` whose target does not exist.

Sections are the numbered headings of a document (`## 4. Arrival`, `### 4.6a Selection`).

Usage: check-doc-references.py            the self-test, then the repository (tracked files)
       check-doc-references.py --self-test  only the fixtures under ci/docs/fixtures/:
                                            `good/` must pass, `bad/` must report exactly the
                                            problems listed in `bad/expected.txt`
"""

import os
import re
import subprocess
import sys

DOCS_DIR = "docs"
DEFAULT_DOC = "protocol.md"
SKIP = object()  # a reference whose sections are not checked (outside standard, missing document)
FIXTURES = os.path.join("ci", "docs", "fixtures")
TEXT_SUFFIXES = (".rs", ".md", ".py", ".sh", ".c", ".h", ".toml", ".txt", ".yml", ".yaml", ".def")
TEXT_NAMES = ("run",)

DOC_NAME = r"(?:\.{1,2}/)*[A-Za-z0-9_][A-Za-z0-9_./-]*\.md\b"
SECTION = r"\d+(?:\.\d+)*[a-z]?"
# A document name, optionally followed by a section: `protocol.md` §4.2, protocol.md section 5.2.
DOC_REF = re.compile(
    r"(?<![\w/.:-])(" + DOC_NAME + r")`?(?:[ \t]*(?:§[ \t]*|section[ \t]+)(" + SECTION + r")"
    r"(?:[ \t]*[-–][ \t]*§?(" + SECTION + r"))?)?"
)
# A section sign with a number, or a range of two.
SECTION_SIGN = re.compile(r"§[ \t]*(" + SECTION + r")(?:[ \t]*[-–][ \t]*§?(" + SECTION + r"))?")
# What may stand between two references of one chain (`§2.1, §8.1`, `§4.2 step 3 and §4.7`).
CHAIN_GAP = re.compile(
    r"^(?:[ \t]*(?:,|/|-|–|and|or|item[ \t]+\d+|step[ \t]+[\d.]+"
    r"|steps[ \t]+[\d.]+(?:[ \t]+and[ \t]+[\d.]+)?)[ \t]*)*$"
)
# The name of an outside standard right before a section sign.
OUTSIDE_STANDARD = re.compile(
    r"(IEEE[ \t]+(?:Std[ \t]+)?[\d.-]+|Specification|RFC[ \t]*\d+|MS-[A-Z]+|SP[ \t]+800-\w+)\)?[ \t]*$"
)
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s)>\]`'\"]+")
ERRATA_REF = re.compile(r"Errata[ \t]+(\d+)(?:[ \t]*[-–][ \t]*(\d+))?")
ERRATA_HEADING = re.compile(r"^## Errata\b.*$", re.MULTILINE)
ERRATA_ITEM = re.compile(r"^(\d+)\.[ \t]", re.MULTILINE)
HASH_CODE = re.compile(r"^[^#\n]*", re.MULTILINE)  # everything before a `#` comment
DEV_LOG = re.compile(r"development[ \t]+log", re.IGNORECASE)
# A path with at least one directory to a script or manifest, not inside a longer path or a variable.
FILE_PATH = re.compile(r"(?<![\w/.$~{-])((?:\.{1,2}/)*[A-Za-z0-9_][\w.-]*(?:/[\w.-]+)+\.(?:sh|py|toml))\b")
MD_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(" + SECTION + r")\.?(?:[ \t]|$)", re.MULTILINE)
# Comment leaders joined away so that a reference broken over two comment lines is still one.
CONTINUATION = re.compile(r"\n[ \t]*(?://[/!]?|#|\*|--)?[ \t]*")


def tracked_files(root):
    command = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    out = subprocess.run(command, check=True, capture_output=True).stdout
    return [f for f in out.decode().split("\0") if f]


def walked_files(root):
    files = []
    for directory, _, names in os.walk(root):
        for name in names:
            files.append(os.path.relpath(os.path.join(directory, name), root))
    return sorted(files)


def is_text(path):
    return path.endswith(TEXT_SUFFIXES) or os.path.basename(path) in TEXT_NAMES


def sections_of(path):
    with open(path, encoding="utf-8") as handle:
        return set(HEADING.findall(handle.read()))


class Checker:
    def __init__(self, root):
        self.root = root
        self.problems = []
        self.section_cache = {}

    def resolve(self, source, name):
        """The repository path a document name in `source` means, or None."""
        here = os.path.dirname(source)
        candidates = []
        if "/" not in name:
            candidates.append(os.path.join(DOCS_DIR, name))
        candidates += [os.path.normpath(os.path.join(here, name)), os.path.normpath(name)]
        for candidate in candidates:
            if not candidate.startswith("..") and os.path.isfile(os.path.join(self.root, candidate)):
                return candidate
        return None

    def sections(self, doc):
        if doc not in self.section_cache:
            self.section_cache[doc] = sections_of(os.path.join(self.root, doc))
        return self.section_cache[doc]

    def errata(self):
        """The item numbers of protocol.md's Errata list (the numbered list under `## Errata`)."""
        if "errata" not in self.section_cache:
            path = os.path.join(self.root, DOCS_DIR, DEFAULT_DOC)
            items = set()
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                heading = ERRATA_HEADING.search(text)
                if heading:
                    end = text.find("\n## ", heading.end())
                    items = set(ERRATA_ITEM.findall(text[heading.end():end if end >= 0 else len(text)]))
            self.section_cache["errata"] = items
        return self.section_cache["errata"]

    def report(self, source, line, message):
        self.problems.append(f"{source}:{line}: {message}")

    def check_section(self, source, line, doc, section, last=None):
        if doc is None:
            return
        known = self.sections(doc)
        for wanted in (section, last):
            if wanted is not None and wanted not in known:
                self.report(source, line, f"{doc} has no section §{wanted}")

    def check_file(self, source):
        with open(os.path.join(self.root, source), encoding="utf-8", errors="replace") as handle:
            original = handle.read()
        if source.endswith((".sh", ".py", ".toml")) or os.path.basename(source) == "run":
            # Scripts and manifests name files they handle; only their comments cite documents.
            original = HASH_CODE.sub(lambda m: " " * len(m.group(0)), original)
        # Join continuation lines but remember where each character came from.
        text, origin = [], []
        position = 0
        for match in CONTINUATION.finditer(original):
            text.append(original[position:match.start()])
            origin.extend(range(position, match.start()))
            text.append(" ")
            origin.append(match.start())
            position = match.end()
        text.append(original[position:])
        origin.extend(range(position, len(original)))
        text = "".join(text)
        text = URL.sub(lambda m: " " * len(m.group(0)), text)
        if source.endswith(".md"):  # link targets are checked as links below
            text = MD_LINK.sub(lambda m: m.group(0)[: -len(m.group(1)) - 1] + " " * len(m.group(1)) + ")", text)

        def line_of(index):
            return original.count("\n", 0, origin[index] if index < len(origin) else len(original)) + 1

        in_docs = source.startswith(DOCS_DIR + "/") and source.endswith(".md")
        current = source if in_docs else self.resolve(source, DEFAULT_DOC)  # what a bare § means

        for match in DEV_LOG.finditer(text):
            self.report(source, line_of(match.start()),
                        "names \"the development log\", which is not in the repository "
                        "(its observations are docs/protocol.md §0.1)")

        for match in ERRATA_REF.finditer(text):
            for item in match.groups():
                if item is not None and item not in self.errata():
                    self.report(source, line_of(match.start()), f"{DEFAULT_DOC} has no Errata item {item}")

        for match in FILE_PATH.finditer(text):
            name = match.group(1)
            bases, base = [], os.path.dirname(source)
            while base:  # the file's directory, each directory above it, then the root
                bases.append(base)
                base = os.path.dirname(base)
            paths = [os.path.normpath(os.path.join(base, name)) for base in bases + [""]]
            if not any(not path.startswith("..") and os.path.exists(os.path.join(self.root, path))
                       for path in paths):
                self.report(source, line_of(match.start()), f"names {name}, which does not exist")

        references = sorted(
            [("doc", m) for m in DOC_REF.finditer(text)] + [("sign", m) for m in SECTION_SIGN.finditer(text)],
            key=lambda item: item[1].start(),
        )
        chain_doc, chain_end = None, None  # document of the reference just before, and where it ended
        for kind, match in references:
            line = line_of(match.start())
            if kind == "doc":
                name, section, last = match.group(1), match.group(2), match.group(3)
                doc = self.resolve(source, name)
                if doc is None:
                    self.report(source, line, f"names {name}, which is not in the repository")
                if section is not None:
                    self.check_section(source, line, doc, section, last)
                chain_doc, chain_end = (doc or SKIP), match.end()  # a missing document is reported once
                continue
            if chain_end is not None and match.start() < chain_end:
                continue  # the section of a document reference, already checked
            section, last = match.group(1), match.group(2)
            gap = text[chain_end:match.start()] if chain_end is not None else None
            if gap is not None and CHAIN_GAP.match(gap):
                doc = chain_doc  # `protocol.md §2.1, §8.1`: the same document
            elif OUTSIDE_STANDARD.search(text[max(0, match.start() - 60):match.start()]):
                doc = SKIP  # a section of an outside standard
            else:
                doc = current
            chain_doc, chain_end = doc, match.end()
            if doc is SKIP:
                continue
            self.check_section(source, line, doc, section, last)

        if source.endswith(".md"):
            for match in MD_LINK.finditer(original):
                target = match.group(1).split("#", 1)[0]
                if not target or URL.match(match.group(1)) or target.startswith("mailto:"):
                    continue
                path = os.path.normpath(os.path.join(os.path.dirname(source), target))
                if path.startswith("..") or not os.path.exists(os.path.join(self.root, path)):
                    self.report(source, original.count("\n", 0, match.start()) + 1,
                                f"links to {match.group(1)}, which does not exist")


def check(root, files):
    checker = Checker(root)
    for source in files:
        if is_text(source) and os.path.isfile(os.path.join(root, source)):
            checker.check_file(source)
    return checker.problems


def self_test(repo):
    base = os.path.join(repo, FIXTURES)
    good_root = os.path.join(base, "good")
    good = check(good_root, walked_files(good_root))
    bad_root = os.path.join(base, "bad")
    bad = check(bad_root, [f for f in walked_files(bad_root) if f != "expected.txt"])
    with open(os.path.join(bad_root, "expected.txt"), encoding="utf-8") as handle:
        expected = [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]
    ok = True
    if good:
        ok = False
        print("self-test: the good fixture should pass but reports:")
        print("\n".join("  " + p for p in good))
    if sorted(bad) != sorted(expected):
        ok = False
        print("self-test: the bad fixture reports")
        print("\n".join("  " + p for p in bad) or "  (nothing)")
        print("but should report")
        print("\n".join("  " + p for p in expected))
    if ok:
        print(f"self-test: good fixture clean, bad fixture caught all {len(expected)} planted problems")
    return ok


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if sys.argv[1:] == ["--self-test"]:
        return 0 if self_test(repo) else 1
    if sys.argv[1:]:
        print(__doc__)
        return 2
    if not self_test(repo):  # a check that cannot fail proves nothing
        return 1
    this = os.path.relpath(os.path.abspath(__file__), repo)  # its own text describes bad references
    files = [f for f in tracked_files(repo) if not f.startswith(FIXTURES + "/") and f != this]
    problems = check(repo, files)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} broken document reference(s)")
        return 1
    print(f"document references: {len(files)} files checked, all references resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
