/**
 * Printable sheets of claim codes: A4 pages of QR codes, each with a caption, drawn as vector rectangles (one per
 * run of dark modules) so that they print sharp at any size. Any phone camera opens the link of a QR code.
 * Secret like the links it prints. Uses pdf-lib and qrcode; not exported from the SDK's index, so that the dApp
 * only loads them if it prints.
 */
import {
  PDFDocument,
  StandardFonts,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingGrayscaleColor,
} from "pdf-lib";
import QRCode from "qrcode";

/** One code on a sheet. */
export interface SheetLabel {
  /** What the QR code holds: the claim link. */
  link: string;
  /** A line under it, e.g. "No. 1234 · 10 points". */
  caption: string;
}

export interface SheetOptions {
  /** Printed at the top of each page. */
  title?: string;
  /** Labels across and down a page: 4 × 5 by default (A4). */
  columns?: number;
  rows?: number;
  /** QR error correction: "M" (15% of the code may be damaged) by default. */
  errorCorrection?: "L" | "M" | "Q" | "H";
  onProgress?: (done: number) => void;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 36;
const TITLE_HEIGHT = 24;
const CAPTION_SIZE = 8;
/** White modules around a QR code, as the standard asks. */
const QUIET_ZONE = 4;

/** Points to a thousandth (0.35 µm): exact enough for print, and a third of the PDF's size. */
const round = (value: number) => Math.round(value * 1000) / 1000;

/** A PDF of `labels`, page after page. */
export async function batchPdf(labels: Iterable<SheetLabel>, options: SheetOptions = {}): Promise<Uint8Array> {
  const columns = options.columns ?? 4;
  const rows = options.rows ?? 5;
  const pdf = await PDFDocument.create();
  pdf.setTitle(options.title ?? "Perks claim codes");
  pdf.setCreator("Perks SDK");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const [width, height] = A4;
  const cellWidth = (width - 2 * MARGIN) / columns;
  const cellHeight = (height - 2 * MARGIN - TITLE_HEIGHT) / rows;
  const qrSide = Math.min(cellWidth, cellHeight - 2 * CAPTION_SIZE) - 8;

  let page = pdf.addPage(A4);
  let slot = 0;
  let done = 0;
  const newPageIfFull = () => {
    if (slot < columns * rows) return;
    page = pdf.addPage(A4);
    slot = 0;
  };
  for (const label of labels) {
    newPageIfFull();
    if (slot === 0 && options.title) {
      page.drawText(options.title, { x: MARGIN, y: height - MARGIN - 12, size: 12, font, color: rgb(0, 0, 0) });
    }
    const column = slot % columns;
    const row = Math.floor(slot / columns);
    const left = MARGIN + column * cellWidth + (cellWidth - qrSide) / 2;
    const top = height - MARGIN - TITLE_HEIGHT - row * cellHeight;

    const { modules } = QRCode.create(label.link, { errorCorrectionLevel: options.errorCorrection ?? "M" });
    const unit = qrSide / (modules.size + 2 * QUIET_ZONE);
    const operators = [pushGraphicsState(), setFillingGrayscaleColor(0)];
    for (let y = 0; y < modules.size; y++) {
      for (let x = 0; x < modules.size;) {
        if (!modules.get(y, x)) {
          x++;
          continue;
        }
        const runStart = x;
        while (x < modules.size && modules.get(y, x)) x++;
        operators.push(
          rectangle(
            round(left + (QUIET_ZONE + runStart) * unit),
            round(top - (QUIET_ZONE + y + 1) * unit),
            round((x - runStart) * unit),
            round(unit),
          ),
        );
      }
    }
    operators.push(fill(), popGraphicsState());
    page.pushOperators(...operators);
    const captionWidth = font.widthOfTextAtSize(label.caption, CAPTION_SIZE);
    page.drawText(label.caption, {
      x: MARGIN + column * cellWidth + (cellWidth - captionWidth) / 2,
      y: top - qrSide - CAPTION_SIZE,
      size: CAPTION_SIZE,
      font,
      color: rgb(0, 0, 0),
    });
    slot++;
    options.onProgress?.(++done);
  }
  return pdf.save();
}
