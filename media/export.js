// The exported page's only script (src/host/exportHtml.ts inlines it, allowed by its hash):
// buttons that open or close every block of numbers. It holds no data of the run.
for (const button of document.querySelectorAll('button[data-open]')) {
  button.addEventListener('click', () => {
    for (const numbers of document.querySelectorAll('details.numbers')) numbers.open = button.dataset.open === 'true';
  });
}
document.querySelector('.controls').hidden = false;
