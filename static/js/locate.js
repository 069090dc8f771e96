// "Use my location": progressive enhancement. Without JavaScript or permission the
// postcode form does the job; the button stays hidden when the browser cannot locate.
// The messages come from the button's data-msg-* attributes, in the page's language.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("use-my-location");
  if (!button || !("geolocation" in navigator)) return;
  const status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = button.dataset.msgFinding;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const url = new URL(button.dataset.locateUrl, window.location.href);
        url.searchParams.set("lat", position.coords.latitude.toFixed(6));
        url.searchParams.set("lng", position.coords.longitude.toFixed(6));
        window.location.assign(url.toString());
      },
      (error) => {
        button.disabled = false;
        status.textContent = error.code === error.PERMISSION_DENIED
          ? button.dataset.msgDenied
          : button.dataset.msgFailed;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
    );
  });
});
