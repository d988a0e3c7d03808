"""Reading rendered PDFs back in tests: their text per page, page images, QR payloads."""

import io

import pypdf
import pypdfium2
import zxingcpp


def pdf_pages_text(content: bytes) -> list[str]:
    """The text of each page (pypdf keeps rotated text such as a watermark in one piece);
    Babel's no-break spaces read as plain spaces."""
    return [page.extract_text().replace("\u00a0", " ").replace("\u202f", " ")
            for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages_text(content))


def qr_payloads(content: bytes, page: int = 0, scale: float = 4) -> list[bytes]:
    """The raw bytes of every QR code found on a rendered page."""
    pdf = pypdfium2.PdfDocument(content)
    try:  # the image shares the bitmap's memory, which closing the document frees
        image = pdf[page].render(scale=scale).to_pil()
        return [barcode.bytes for barcode in zxingcpp.read_barcodes(image)]
    finally:
        pdf.close()
