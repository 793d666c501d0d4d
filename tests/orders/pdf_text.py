"""The text of a PDF: pdftotext (poppler-utils) where installed, else the strings drawn in its
content streams (enough for fpdf2's output, which writes text as literal strings)."""

import re
import shutil
import subprocess
import zlib


def pdf_text(content: bytes) -> str:
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            check=True,
            timeout=30,
        )
        return result.stdout.decode()
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            data = stream
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data):
            text.append(re.sub(rb"\\(.)", rb"\1", literal).decode("latin-1"))
    return "\n".join(text)
