// The documents page's PDF viewer: one page at a time on a canvas, with the portal's own large
// buttons. Nothing here saves, downloads, opens a file dialog or prints: printing goes through
// the portal, which sends the file itself to the printer. Links inside a PDF are not drawn as
// links (no annotation layer), so a document cannot navigate the kiosk anywhere.
import * as pdfjs from "./vendor/pdfjs/pdf.min.mjs";

const ZOOMS = [1, 1.25, 1.5, 2, 2.5, 3];  // times "page as wide as the screen"

async function main() {
  const box = document.querySelector("[data-pdf]");
  if (!box) return;
  const controls = document.querySelector("[data-pdf-controls]");
  const status = document.querySelector("[data-pdf-status]");
  const prev = document.querySelector("[data-pdf-prev]");
  const next = document.querySelector("[data-pdf-next]");
  const bigger = document.querySelector("[data-pdf-bigger]");
  const smaller = document.querySelector("[data-pdf-smaller]");
  pdfjs.GlobalWorkerOptions.workerSrc = box.dataset.worker;

  let pdf;
  try {
    pdf = await pdfjs.getDocument({
      url: box.dataset.pdf, useWasm: false, enableXfa: false, disableAutoFetch: true,
    }).promise;
  } catch (error) {
    console.warn("pdf viewer: " + (error && error.name));
    box.textContent = "";
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = box.dataset.error;
    box.appendChild(p);
    box.setAttribute("data-pdf-state", "error");
    return;
  }

  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  box.textContent = "";
  box.appendChild(canvas);
  controls.hidden = false;
  let number = 1;
  let zoom = 0;
  let task = null;

  function label() {
    return box.dataset.pageLabel.replace("{page}", number).replace("{pages}", pdf.numPages);
  }
  // Named from the start: a screen reader (or axe) reaching the canvas before the first page is
  // drawn must not meet an image without a name.
  canvas.setAttribute("aria-label", label());

  async function draw() {
    if (task) { task.cancel(); }
    const page = await pdf.getPage(number);
    const natural = page.getViewport({ scale: 1 });
    const fit = Math.max(box.clientWidth - 4, 200) / natural.width;
    const viewport = page.getViewport({ scale: fit * ZOOMS[zoom] });
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = Math.floor(viewport.width) + "px";
    canvas.style.height = Math.floor(viewport.height) + "px";
    const text = label();
    status.textContent = text;
    canvas.setAttribute("aria-label", text);
    prev.disabled = number <= 1;
    next.disabled = number >= pdf.numPages;
    smaller.disabled = zoom <= 0;
    bigger.disabled = zoom >= ZOOMS.length - 1;
    task = page.render({
      canvas: canvas, canvasContext: canvas.getContext("2d"), viewport: viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    try {
      await task.promise;
      box.setAttribute("data-pdf-state", "shown");
      box.setAttribute("data-pdf-page", String(number));
    } catch (error) {
      if (!error || error.name !== "RenderingCancelledException") {
        console.warn("pdf viewer: " + (error && error.name));
      }
    }
  }

  function go(step) {
    const target = Math.min(Math.max(number + step, 1), pdf.numPages);
    if (target !== number) { number = target; box.scrollTop = 0; draw(); }
  }
  function scale(step) {
    const target = Math.min(Math.max(zoom + step, 0), ZOOMS.length - 1);
    if (target !== zoom) { zoom = target; draw(); }
  }
  prev.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(+1));
  bigger.addEventListener("click", () => scale(+1));
  smaller.addEventListener("click", () => scale(-1));
  box.setAttribute("data-pdf-pages", String(pdf.numPages));
  await draw();
}

main();
