"""Certificate PDFs, drawn with reportlab: name, course, dates, code and the verification address."""

from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

from hub.dates import day_label

BRAND = HexColor("#073763")


def _day(value) -> str:
    return day_label(value, "full")


def certificate_pdf_bytes(certificate, verify_url: str) -> bytes:
    buffer = BytesIO()
    width, height = landscape(letter)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{certificate.course.code} certificate — {certificate.person.full_name}")
    pdf.setAuthor("Home Visit Hub")
    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(4)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFillColor(BRAND)
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(width / 2, height - 130, "Certificate of Completion")
    pdf.setFont("Helvetica", 15)
    pdf.drawCentredString(width / 2, height - 170, "Home Visit Hub certifies that")
    pdf.setFont("Helvetica-Bold", 26)
    pdf.drawCentredString(width / 2, height - 215, certificate.person.full_name)
    pdf.setFont("Helvetica", 15)
    pdf.drawCentredString(width / 2, height - 255, "has completed")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 285, f"{certificate.course.title} ({certificate.course.code})")
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(width / 2, height - 325,
                          f"Issued {_day(certificate.issued_at)} · valid until {_day(certificate.valid_until)}")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 90, "Check that this certificate is current at:")
    pdf.drawString(60, 75, verify_url)
    pdf.drawString(60, 60, f"Certificate code: {certificate.code}")
    qr = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = qr.getBounds()
    size = 90
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - 60 - size, 50)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
