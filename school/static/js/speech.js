/* 朗读: read an article or lesson aloud, sentence by sentence, with the
 * phone's Chinese voice (Web Speech API), with pause and continue. A lesson
 * with its own audio plays that instead. */
(function () {
  "use strict";

  var box = document.querySelector("[data-read-aloud]");
  var target = document.querySelector("[data-read-target]");
  if (!box || !target) {
    return;
  }
  var toggle = box.querySelector("[data-read-toggle]");
  var stopButton = box.querySelector("[data-read-stop]");
  var message = box.querySelector("[data-read-message]");
  var label = toggle.textContent;
  var audio = target.querySelector("audio[data-study-media]");
  var synth = window.speechSynthesis;
  var state = "idle"; // idle, speaking, paused
  var sentences = [];
  var index = 0;

  function setState(next) {
    state = next;
    toggle.textContent =
      next === "speaking"
        ? toggle.getAttribute("data-pause-text")
        : next === "paused"
          ? toggle.getAttribute("data-continue-text")
          : label;
    toggle.setAttribute("aria-pressed", String(next === "speaking"));
    stopButton.hidden = next === "idle";
  }

  function textOf(element) {
    var copy = element.cloneNode(true);
    Array.prototype.forEach.call(
      copy.querySelectorAll("[data-read-skip], script, audio, video, nav, form, .meta"),
      function (skipped) {
        skipped.remove();
      }
    );
    // A heading or a paragraph ends its sentence even without a full stop.
    Array.prototype.forEach.call(
      copy.querySelectorAll("h1, h2, h3, h4, h5, h6, p, li, dt, dd, blockquote, figcaption, td, th"),
      function (block) {
        block.appendChild(document.createTextNode("\n"));
      }
    );
    return copy.textContent;
  }

  function split(text) {
    var sentences = [];
    text.split(/\n+/).forEach(function (line) {
      (line.replace(/\s+/g, " ").match(/[^。！？!?；;]+[。！？!?；;]*/g) || []).forEach(function (part) {
        part = part.trim();
        if (/[\u4e00-\u9fff\w]/.test(part)) {
          sentences.push(part);
        }
      });
    });
    return sentences;
  }

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    return voices.filter(function (voice) {
      return /^(zh|cmn)/i.test(voice.lang || "");
    })[0];
  }

  // Voices arrive a moment after the page loads on some phones.
  function withVoice(then) {
    var voice = chineseVoice();
    if (voice) {
      then(voice);
      return;
    }
    var waited = false;
    var done = function () {
      if (!waited) {
        waited = true;
        then(chineseVoice());
      }
    };
    synth.addEventListener("voiceschanged", done);
    window.setTimeout(done, 1000);
  }

  function speakFrom(voice) {
    if (index >= sentences.length || state === "idle") {
      setState("idle");
      return;
    }
    var utterance = new window.SpeechSynthesisUtterance(sentences[index]);
    utterance.lang = "zh-CN";
    utterance.voice = voice;
    utterance.rate = 0.9;
    utterance.onend = function () {
      if (state === "idle") {
        return;
      }
      index += 1;
      speakFrom(voice);
    };
    synth.speak(utterance);
  }

  function noVoice() {
    message.textContent = message.getAttribute("data-no-voice");
    setState("idle");
  }

  function start() {
    message.textContent = "";
    if (!synth || !window.SpeechSynthesisUtterance) {
      noVoice();
      return;
    }
    sentences = split(textOf(target));
    index = 0;
    setState("speaking");
    withVoice(function (voice) {
      if (!voice) {
        noVoice();
        return;
      }
      synth.cancel();
      speakFrom(voice);
    });
  }

  toggle.addEventListener("click", function () {
    if (audio) {
      // The lesson's own recording reads better than a synthetic voice.
      if (audio.paused) {
        audio.play();
      } else {
        audio.pause();
      }
      return;
    }
    if (state === "idle") {
      start();
    } else if (state === "speaking") {
      synth.pause();
      setState("paused");
    } else {
      synth.resume();
      setState("speaking");
    }
  });

  stopButton.addEventListener("click", function () {
    setState("idle");
    if (synth) {
      synth.cancel();
    }
  });

  if (audio) {
    audio.addEventListener("play", function () {
      setState("speaking");
    });
    audio.addEventListener("pause", function () {
      setState(audio.currentTime > 0 && !audio.ended ? "paused" : "idle");
    });
    audio.addEventListener("ended", function () {
      setState("idle");
    });
    stopButton.addEventListener("click", function () {
      audio.pause();
      audio.currentTime = 0;
      setState("idle");
    });
  }

  box.hidden = false;
})();
