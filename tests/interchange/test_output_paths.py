"""Where exports may write: never replace something that is not a regular file, never
create folders, keep the umask's permissions, one readable line otherwise."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from kamtui.errors import ServiceError
from kamtui.interchange.export import write_text


def test_a_symlink_writes_through_to_its_file(tmp_path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"


def test_a_named_pipe_is_written_to_not_replaced(tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(timeout=5)
    assert got == ["through the pipe\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_folders_are_refused_and_never_created(tmp_path) -> None:
    with pytest.raises(ServiceError, match="is a folder"):
        write_text(tmp_path, "x")
    with pytest.raises(ServiceError, match="does not exist"):
        write_text(tmp_path / "missing" / "x.csv", "x")
    assert not (tmp_path / "missing").exists()


def test_new_files_get_the_umask_permissions_and_existing_keep_theirs(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        fresh = write_text(tmp_path / "new.csv", "x\n")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("y\n")
        kept.chmod(0o600)
        write_text(kept, "z\n")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_text() == "z\n"
    finally:
        os.umask(old)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left
