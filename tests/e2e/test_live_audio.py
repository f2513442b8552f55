"""
The teacher's voice in real browsers (#13 Build 1, section 6): Chromium's
fake microphone plays Vietnamese speech made with espeak-ng; the teacher
turns the microphone on, a pupil on a phone hears it (the player worklet
reports decoded, non-silent samples), a pupil joining mid-lecture hears
within 1.5 s, and after the class an absent pupil finds the recording on
their home page and plays and seeks it (``Range`` → 206).
"""

import shutil
import subprocess
import time

import pytest

from classrooms.services import enroll_student
from live.models import LiveRecording, LiveSession
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE_VIEWPORT, login
from tests.factories import ClassroomFactory, StudentFactory
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SPEECH = (
    "Chào các em. Hôm nay chúng ta học về sóng âm. Âm thanh truyền qua không khí "
    "bằng những dao động nhỏ. Các em hãy lắng nghe và ghi chép cẩn thận. "
) * 3


@pytest.fixture
def speech_wav(tmp_path):
    if not shutil.which("espeak-ng"):
        pytest.fail("espeak-ng is missing: make system-deps-test installs it")
    path = tmp_path / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", "vi", "-s", "150", "-w", str(path), SPEECH], check=True
    )
    return path


@pytest.fixture
def mic_browser(browser, speech_wav):
    """A second Chromium whose microphone plays the speech file."""
    fake = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={speech_wav}",
    ]
    other = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS + fake
    )
    yield other
    other.close()


def wait_heard(page, seconds, timeout=20):
    """Until the player has played ``seconds`` of non-silent samples."""
    page.wait_for_function(
        f"() => window.lophocAudio && window.lophocAudio.heard >= {int(seconds * 48000)}",
        timeout=timeout * 1000,
    )
    return page.evaluate("window.lophocAudio")


def pupil_page(browser, server, pupil, url):
    ctx = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    login(page, server, pupil.username, TEST_PASSWORD)
    page.goto(url)
    page.wait_for_selector("#live-conn.conn-on")
    return ctx, page


def test_pupils_hear_the_teacher_and_an_absent_pupil_plays_the_recording(
    browser, mic_browser, asgi_server
):
    classroom = ClassroomFactory()
    teacher = classroom.homeroom_teacher
    pupils = [StudentFactory() for _ in range(3)]
    for pupil in pupils:
        enroll_student(classroom=classroom, student=pupil)
    session = LiveSession.objects.create(
        classroom=classroom,
        title="Vật lý 6A — Sóng âm",
        scheduled_at="2026-12-07T08:00:00Z",
        created_by=teacher,
    )
    url = f"{asgi_server.url}/live/{session.pk}/"

    t_ctx = mic_browser.new_context(viewport={"width": 1280, "height": 800})
    t_page = t_ctx.new_page()
    t_page.set_default_timeout(20_000)
    login(t_page, asgi_server, teacher.username, TEST_PASSWORD)
    t_page.goto(url)
    t_page.click("#live-open")
    t_page.wait_for_selector("#live-conn.conn-on")
    t_page.click(".audio-mic")
    t_page.wait_for_selector(".audio-mic[aria-pressed=true]")
    t_page.wait_for_function("() => window.lophocAudio.bundles >= 3")
    assert t_page.evaluate("window.lophocAudio.errors") == 0

    s_ctx, s_page = pupil_page(browser, asgi_server, pupils[0], url)
    s_page.click(".audio-play")  # the real tap a phone needs to play sound
    heard = wait_heard(s_page, 2.0)
    assert heard["errors"] == 0 and heard["decoded"] > 0, heard
    s_page.screenshot(path="var/screenshots/live-audio-pupil.png", full_page=True)

    # Mid-lecture: sound within 1.5 s of the tap.
    l_ctx, l_page = pupil_page(browser, asgi_server, pupils[1], url)
    l_page.wait_for_selector(".audio-play:not([hidden])")
    tapped = time.monotonic()
    l_page.click(".audio-play")
    l_page.wait_for_function("() => window.lophocAudio.heard > 0", timeout=5000)
    joined_in = time.monotonic() - tapped
    assert joined_in <= 1.5, joined_in
    assert l_page.evaluate("window.lophocAudio.errors") == 0

    # The teacher's page shows what the stream costs each pupil.
    t_page.wait_for_selector(".audio-meter-text:has-text('MB')", timeout=15_000)
    t_page.screenshot(path="var/screenshots/live-audio-teacher.png")
    t_page.click(".audio-mic")  # audio.stop: the recording is built
    t_page.once("dialog", lambda dialog: dialog.accept())
    t_page.click("form[data-confirm] button[type=submit]")
    deadline = time.monotonic() + 10
    while not LiveRecording.objects.filter(session=session).exists():
        assert time.monotonic() < deadline, "no recording"
        time.sleep(0.2)
    recording = LiveRecording.objects.get(session=session)
    assert recording.duration_ms >= 2000, recording.duration_ms
    for ctx in (s_ctx, l_ctx, t_ctx):
        ctx.close()

    # The pupil who missed the class: home page → the recording → play, seek.
    a_ctx = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    a_page = a_ctx.new_page()
    a_page.set_default_timeout(20_000)
    login(a_page, asgi_server, pupils[2].username, TEST_PASSWORD)
    a_page.click(f"text={session.title}")
    player = a_page.locator("#live-recording audio")
    player.wait_for()
    a_page.screenshot(path="var/screenshots/live-audio-recording.png", full_page=True)
    duration = player.evaluate(
        """async (el) => {
            el.muted = true;
            await el.play();
            await new Promise((ok) => setTimeout(ok, 1200));
            el.currentTime = el.duration / 2;
            await new Promise((ok) => el.addEventListener("seeked", ok, { once: true }));
            return el.duration;
        }"""
    )
    assert abs(duration * 1000 - recording.duration_ms) < 500, duration
    assert not player.evaluate("el => el.error")
    src = player.evaluate("el => el.src")
    ranged = a_page.request.get(src, headers={"Range": "bytes=100-199"})
    assert ranged.status == 206 and len(ranged.body()) == 100
    a_ctx.close()
