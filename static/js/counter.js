// Live character counts for fields with an advised length (the public
// headline: search engines cut claimReviewed after about 75 characters).
// Delegated, so fields that htmx swaps in count too.

function update(field) {
  const note = document.querySelector(`[data-count-for="${field.id}"]`);
  if (!note) return;
  const advised = Number(field.dataset.advisedLength);
  const length = [...field.value].length;
  const over = length > advised;
  note.textContent = over
    ? `${length} characters: ${length - advised} over the ${advised} advised.`
    : `${length} of ${advised} characters advised; empty uses the claim.`;
  note.classList.toggle("over", over);
}

document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLElement && event.target.dataset.advisedLength) {
    update(event.target);
  }
});
