"""朗读 (read aloud) on articles and lessons: the phone's Chinese voice reads
the body sentence by sentence, with pause and continue; a clear message where
the phone has no Chinese voice; a lesson's own recording plays instead where
there is one (issue 16, point 4). The Web Speech API is replaced by a recorder
before the page's scripts run, so the test sees every call the page makes."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import PHONE
from tests.browser.reach import seed_site

ARTICLE = "/news/study-month-launch/"
AUDIO_LESSON = "/courses/party-constitution-basics/oath-audio/"
# A speechSynthesis that records what the page asks of it. An utterance "ends"
# when the test calls __speech.finish(), as a real voice would after reading.
RECORDER = """
(() => {
  const voices = %s;
  const calls = [];
  const listeners = {};
  let current = null;
  const synth = {
    speaking: false, paused: false, pending: false,
    getVoices: () => voices,
    speak(u) {
      calls.push(["speak", u.text, u.lang, u.voice && u.voice.lang]);
      current = u;
    },
    pause() { calls.push(["pause"]); },
    resume() { calls.push(["resume"]); },
    cancel() { calls.push(["cancel"]); current = null; },
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    removeEventListener() {},
  };
  class Utterance {
    constructor(text) { this.text = text; this.lang = ""; this.voice = null; }
  }
  const own = (value) => ({ value, configurable: true });
  Object.defineProperty(window, "speechSynthesis", own(synth));
  Object.defineProperty(window, "SpeechSynthesisUtterance", own(Utterance));
  window.__speech = {
    calls,
    finish() { const u = current; current = null; if (u && u.onend) u.onend(); },
  };
})();
"""
CHINESE_VOICE = '[{"lang": "zh-CN", "name": "普通话（中国大陆）", "default": true}]'


def phone_with(browser, voices):
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.add_init_script(RECORDER % voices)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def calls(page):
    return page.evaluate("window.__speech.calls")


@pytest.mark.django_db(transaction=True)
def test_read_aloud_reads_sentence_by_sentence_with_pause_and_continue(
    live_server, browser
):
    seed_site()
    page = phone_with(browser, CHINESE_VOICE)
    page.goto(live_server.url + ARTICLE)
    toggle = page.get_by_role("button", name="朗读", exact=True)

    toggle.click()
    page.wait_for_function("window.__speech.calls.some(c => c[0] === 'speak')")
    spoken = [c for c in calls(page) if c[0] == "speak"]
    assert len(spoken) == 1
    _, first, lang, voice = spoken[0]
    assert lang == "zh-CN" and voice == "zh-CN"
    # The title first, as a sentence of its own; then the body's sentences.
    assert first == page.get_by_role("heading", level=1).inner_text()
    paragraph = page.locator(
        "[data-read-target] > header ~ p, [data-read-target] > header ~ * p"
    )
    first_sentence = paragraph.first.inner_text().split("。")[0] + "。"

    pause = page.get_by_role("button", name="暂停")
    pause.click()
    assert calls(page)[-1] == ["pause"]
    page.get_by_role("button", name="继续").click()
    assert calls(page)[-1] == ["resume"]

    # The voice finishes the sentence: the next one follows.
    page.evaluate("window.__speech.finish()")
    spoken = [c for c in calls(page) if c[0] == "speak"]
    assert len(spoken) == 2
    assert spoken[1][1] == first_sentence

    page.get_by_role("button", name="停止朗读").click()
    assert calls(page)[-1] == ["cancel"]
    expect(page.get_by_role("button", name="朗读", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="停止朗读")).to_be_hidden()
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_phone_without_a_chinese_voice_gets_a_clear_message(live_server, browser):
    seed_site()
    page = phone_with(browser, '[{"lang": "en-US", "name": "English"}]')
    page.goto(live_server.url + ARTICLE)
    page.get_by_role("button", name="朗读", exact=True).click()

    expect(
        page.get_by_role("status").filter(has_text="没有中文朗读语音")
    ).to_be_visible()
    assert [c for c in calls(page) if c[0] == "speak"] == []
    expect(page.get_by_role("button", name="朗读", exact=True)).to_be_visible()
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_a_lesson_with_its_own_audio_plays_it_instead(live_server, browser):
    seed_site()
    page = phone_with(browser, CHINESE_VOICE)
    page.goto(live_server.url + AUDIO_LESSON)
    audio = page.locator("[data-read-target] audio")

    page.get_by_role("button", name="朗读（播放本课音频）").click()
    page.wait_for_function(
        "() => document.querySelector('[data-read-target] audio').currentTime > 0"
    )
    assert audio.evaluate("a => !a.paused && !a.error")
    page.get_by_role("button", name="暂停").click()
    assert audio.evaluate("a => a.paused")
    assert [c for c in calls(page) if c[0] == "speak"] == []
    page.context.close()
