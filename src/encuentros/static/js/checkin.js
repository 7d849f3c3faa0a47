// Check-in page: the form clears itself after each answer; optional camera scanning where the
// browser has BarcodeDetector (Chrome on Android). Without it, a USB/Bluetooth scanner or typing
// into the field works the same way.
(function () {
  "use strict";
  var form = document.querySelector(".checkin-form");
  if (form) {
    // Ready for the next badge as soon as the previous one is answered.
    form.addEventListener("htmx:afterRequest", function () {
      form.reset();
      form.querySelector("input[name=code]").focus();
    });
  }
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("id_code");
  if (!button || !video || !input || !("BarcodeDetector" in window) ||
      !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  button.hidden = false;
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  var stream = null;
  var lastCode = "";

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
    stream = null;
    video.hidden = true;
  }

  function tick() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue !== lastCode) {
        lastCode = codes[0].rawValue;
        input.value = lastCode;
        input.form.requestSubmit();
        setTimeout(function () { lastCode = ""; }, 3000);
      }
      requestAnimationFrame(tick);
    }).catch(function () { requestAnimationFrame(tick); });
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        return video.play();
      })
      .then(tick)
      .catch(stop);
  });
})();
