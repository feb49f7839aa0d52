"""The instructions section Symbiote adds to an agent's instructions file (AGENTS.md,
CLAUDE.md, GEMINI.md): short, between two marker lines, so that install can put it in
or update it and uninstall can take it out, with the blank line before it, leaving the
rest of the file as it was."""

from __future__ import annotations

from symbiote.cli.jsonedit import EditError

BEGIN = "<!-- symbiote:begin (symbiote agent install; uninstall removes it) -->"
END = "<!-- symbiote:end -->"
# What an agent needs to know to pick the right tool. Every tool named here is an MCP
# tool of the verb table (a test checks it).
SECTION = """\
## Code navigation: Symbiote

The MCP server `symbiote` answers questions about this repository's code from an index of
its git history, with paths and line spans. Prefer it to grep and to reading whole files:

- `find`: where a name is defined (name, Class.method, prefix or fuzzy);
  `search`: definitions by what they do, in words.
- `goto`: the definition of the identifier at path, line (1-based), col (0-based).
- `refs`: every use of a definition; `callers` / `callees`: the call graph, `depth` hops.
- `outline`: the definitions of one file as a tree.
- `history`: the commits that changed a definition; `diff`: what changed between two revisions.
- `lessons`: what was tried on a definition before and how it went; read it before changing it.

Name a definition by the `symbol` of a result, PATH::QUALNAME (PATH::QUALNAME#2, #3 for a
file's later definitions of one name: overloads, a setter). `at` takes a ref,
a sha or HEAD~N (default HEAD); answers are about indexed commits, not uncommitted edits.
Lists come in pages: when `truncated` is true, ask again with `cursor` set to the
answer's `next`. Set `brief` to true to get definitions as name, kind, path, lines and
signature only (more results per page).
"""


def set_section(text: str | None, section: str = SECTION) -> str:
    """``text`` with Symbiote's marked section: in place of the old one, or appended
    after a blank line."""
    block = f"{BEGIN}\n{section.rstrip()}\n{END}\n"
    if not text:
        return block
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    lines = text.splitlines(keepends=True)
    found = _section(lines)
    if found is None:
        sep = newline if not text.endswith("\n") else ""
        return text + sep + (newline if text.strip() else "") + block
    begin, end = found
    if end == len(lines) and not lines[-1].endswith("\n"):
        block = block.removesuffix(newline)
    return "".join(lines[:begin]) + block + "".join(lines[end:])


def remove_section(text: str) -> str | None:
    """``text`` without Symbiote's section and the blank line before it; None when
    nothing but blank lines would be left."""
    lines = text.splitlines(keepends=True)
    found = _section(lines)
    if found is None:
        return text
    begin, end = found
    del lines[begin:end]
    if (
        begin > 0
        and not lines[begin - 1].strip()
        and (begin == len(lines) or not lines[begin].strip())
    ):
        del lines[begin - 1]
    rest = "".join(lines)
    return rest if rest.strip() else None


def _section(lines: list[str]) -> tuple[int, int] | None:
    """The line range of the section (end exclusive), or None."""
    begins = [i for i, line in enumerate(lines) if line.startswith("<!-- symbiote:begin")]
    ends = [i for i, line in enumerate(lines) if line.startswith(END)]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise EditError("its symbiote:begin / symbiote:end markers do not pair up")
    return begins[0], ends[0] + 1


def has_section(text: str) -> bool:
    """Whether ``text`` holds Symbiote's section."""
    return _section(text.splitlines(keepends=True)) is not None
