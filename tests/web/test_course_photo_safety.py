"""Course photos are stored without metadata, turned upright, and refused with a clear
message when they claim too many pixels or are too large: before decoding, and before the
body of the request is read."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from test_course_web import course, login  # noqa: F401  (fixture)

from verbind.course.domain import answers
from verbind.course.models import ExerciseAnswer

CREATIVE = "w1-my-circle"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _jpeg_with_gps() -> bytes:
    """A 40 x 20 photo, taken with the camera turned (orientation 6), with a place in it."""
    img = Image.new("RGB", (40, 20), (200, 30, 30))
    img.paste((30, 30, 200), (0, 0, 10, 20))  # a blue band on the left
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0110] = "Phone X"  # camera model
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.5)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    return buf.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a picture of width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 512)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _upload(client: Client, data: bytes, name: str, kind: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile(name, data, content_type=kind)
    url = reverse("course:answer_photo", args=[CREATIVE])
    return client.post(url, {"photo": photo, "action": "upload"}, follow=True)


def test_a_photo_is_stored_without_place_or_camera_and_upright(course, people):  # noqa: F811
    original = _jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as check:  # the test photo really has them
        assert check.getexif().get_ifd(GPS_IFD) and check.getexif()[ORIENTATION] == 6
    response = _upload(login(people.participant), original, "holiday.jpg", "image/jpeg")
    assert response.status_code == 200
    stored = bytes(ExerciseAnswer.objects.get(exercise_id=CREATIVE).image)
    assert b"Exif" not in stored and b"Phone X" not in stored and b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "JPEG"
        assert dict(img.getexif()) == {} and not img.getexif().get_ifd(GPS_IFD)
        assert "exif" not in img.info and "xmp" not in img.info
        # Turned upright: 20 wide, 40 high, the blue band now at the top.
        assert img.size == (20, 40)
        red, _green, blue = img.convert("RGB").getpixel((10, 2))
        assert blue > 150 and red < 100


def test_png_text_chunks_are_dropped(course, people):  # noqa: F811
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Dorpsstraat 1, Ons Dorp")
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buf, "PNG", pnginfo=info)
    _upload(login(people.participant), buf.getvalue(), "circle.png", "image/png")
    stored = bytes(ExerciseAnswer.objects.get(exercise_id=CREATIVE).image)
    assert b"Dorpsstraat" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert img.format == "PNG" and img.size == (16, 16)


@pytest.mark.parametrize(("lang", "words"), [("nl", "te veel pixels"), ("en", "too many pixels")])
def test_a_picture_claiming_too_many_pixels_is_refused_before_decoding(
    course,  # noqa: F811
    people,
    lang,
    words,
):
    bomb = _png_claiming(100_000, 100_000)
    assert len(bomb) < 1024
    client = login(people.participant)
    client.cookies["django_language"] = lang
    response = _upload(client, bomb, "bomb.png", "image/png")
    assert response.status_code == 200  # back on the week page, with the message
    assert words in response.content.decode()
    assert not ExerciseAnswer.objects.filter(exercise_id=CREATIVE, image__isnull=False).exists()
    # Just above the limit, still below what Pillow itself would warn about.
    with pytest.raises(answers.AnswerError) as err:
        answers.check_image(_png_claiming(10_000, answers.MAX_IMAGE_PIXELS // 10_000 + 1), None)
    assert err.value.code == "image_too_many_pixels"


class _UnreadableBody(io.RawIOBase):
    """A request body that must never be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


@pytest.mark.parametrize(
    ("lang", "words"), [("nl", "De foto is te groot"), ("en", "The photo is too large")]
)
def test_a_too_large_upload_is_refused_before_the_body_is_read(
    course,  # noqa: F811
    people,
    lang,
    words,
):
    client = login(people.participant)
    client.cookies["django_language"] = lang
    url = reverse("course:answer_photo", args=[CREATIVE])
    response = client.generic(
        "POST",
        url,
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert words in page and "40.0" in page


def test_a_large_multipart_body_elsewhere_is_refused_unread(db):
    from django.conf import settings

    assert settings.MAX_UPLOAD_REQUEST_BYTES > answers.MAX_IMAGE_BYTES
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32  # so the form token is looked for in the body
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        b"",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )
    assert response.status_code == 400


def test_the_photo_form_still_needs_its_form_token(course, people):  # noqa: F811
    # The size is checked before the token (so a large body is never read), but a photo
    # is only saved with a valid token.
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.participant)
    photo = SimpleUploadedFile("circle.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    url = reverse("course:answer_photo", args=[CREATIVE])
    response = client.post(url, {"photo": photo, "action": "upload"})
    assert response.status_code == 403
    assert not ExerciseAnswer.objects.filter(exercise_id=CREATIVE, image__isnull=False).exists()
