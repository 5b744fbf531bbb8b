"""Opening the cache cheaply (issues 12 and 14): ids found by binary search, names resolved
by binary search in ``search.bin`` exactly as the old list of every key did, and the parts
of a store read (and checked) only when a command needs them."""

from __future__ import annotations

import shutil
from array import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.data.dataset import load_dataset
from graphkit.data.locate import bundled_data_dir
from graphkit.data.names import LIMIT_CANDIDATES, build_columns, check_name, normalize
from graphkit.errors import AmbiguousEntity, CacheDamaged, GraphkitError, UnknownEntity
from graphkit.query.paths import connection
from graphkit.store import cache as caching
from graphkit.store.cache import open_store
from graphkit.store.packed import Blocks, Damaged, pack_blocks

BUNDLED = bundled_data_dir()


class OldResolver:
    """Name resolution as the store did it before (format 7): every key with its owners
    in a dict, a key belonging to the entities that have it as their best kind of key (a
    name before a pinyin spelling before part of a name)."""

    def __init__(self, entities: dict):
        self.entities = entities
        self.ids = list(entities)
        columns = build_columns(entities)
        best: dict[str, int] = {}
        owners: dict[str, set[int]] = {}
        for key, kind, number in zip(columns["blob"].split("\n"), columns["kinds"],
                                     columns["owners"], strict=True):
            if key not in best or kind < best[key]:
                best[key], owners[key] = kind, set()
            if kind == best[key]:
                owners[key].add(number)
        self.owners = {key: sorted(self.ids[number] for number in numbers)
                       for key, numbers in owners.items()}

    def resolve(self, name: str) -> str | tuple | None:
        """The id; for an ambiguous name, the ids listed (sorted, the first
        ``LIMIT_CANDIDATES``) and how many there are; None when unknown."""
        if name in self.entities:
            return name
        owners = self.owners.get(normalize(check_name(name)))
        if owners is None:
            return None
        return owners[0] if len(owners) == 1 else (tuple(owners[:LIMIT_CANDIDATES]),
                                                   len(owners))


def new_resolve(store, name: str):
    try:
        return store.resolve(name)
    except AmbiguousEntity as error:
        return tuple(ident for ident, _name, _type in error.candidates), error.total
    except UnknownEntity:
        return None


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    import os

    previous = os.environ.get("GRAPHKIT_CACHE")
    os.environ["GRAPHKIT_CACHE"] = str(tmp_path_factory.mktemp("cold-cache"))
    try:
        store = open_store(BUNDLED)
    finally:
        if previous is not None:
            os.environ["GRAPHKIT_CACHE"] = previous
    entities = load_dataset(BUNDLED).entities
    return store, OldResolver(entities), entities


def test_every_id_is_found_by_binary_search_and_nothing_else_is(bundled):
    store, _old, entities = bundled
    assert [store.number(ident) for ident in entities] == list(range(len(entities)))
    for stranger in ("", "zzzz", "OpenAI", " openai", "openai ", "\0", 7, None):
        assert store.number(stranger) is None
        assert stranger not in store.nodes


def test_every_curated_name_and_key_resolves_as_before(bundled):
    store, old, entities = bundled
    columns = build_columns(entities)
    names = {form for entity in entities.values()
             for form in [entity["name"], *entity.get("aliases", [])]}
    keys = set(columns["blob"].split("\n"))
    resolved = 0
    for name in sorted(names | keys):
        try:
            expected = old.resolve(name)
        except GraphkitError:
            continue  # not a usable name (refused alike, see the property below)
        assert new_resolve(store, name) == expected, name
        resolved += expected is not None
    assert resolved > len(entities)  # names, pinyin and parts, not only misses


@st.composite
def variants(draw, texts: list[str]) -> str:
    """A curated name or key, as written or changed a little: case, spaces, a letter
    dropped or added, the other script's separators."""
    text = draw(st.sampled_from(texts))
    change = draw(st.sampled_from(["as is", "upper", "spaces", "drop", "add", "dot"]))
    if change == "upper":
        return text.upper()
    if change == "spaces":
        return " ".join(text)
    if change == "drop" and text:
        place = draw(st.integers(0, len(text) - 1))
        return text[:place] + text[place + 1:]
    if change == "add":
        place = draw(st.integers(0, len(text)))
        return text[:place] + draw(st.sampled_from("ae ·-")) + text[place:]
    if change == "dot":
        return text.replace(" ", "·")
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_binary_search_resolution_equals_the_old_key_list(bundled, data):
    store, old, entities = bundled
    texts = sorted({form for entity in entities.values()
                    for form in [entity["name"], *entity.get("aliases", [])]} | set(entities))
    name = data.draw(st.one_of(variants(texts), st.text(max_size=12)))
    try:
        expected = old.resolve(name)
    except GraphkitError as error:
        with pytest.raises(type(error)):
            store.resolve(name)
        return
    assert new_resolve(store, name) == expected


def test_a_path_between_ids_reads_neither_names_nor_edge_columns(tiny_dir, cache):
    store = open_store(tiny_dir)
    result = connection(store.view(), "alice", "globex")
    assert result["paths"][0]["length"] == 2
    read = store._structure
    assert "adjacent" in read and "edge_offsets" in read
    assert "source" not in read and "relation" not in read  # columns.bin: not needed
    assert store._names is None  # search.bin: not read for ids


def test_a_name_is_resolved_from_blocks_of_search_bin_and_an_id_without_it(tiny_dir,
                                                                           cache):
    store = open_store(tiny_dir)
    assert store.resolve("alice") == "alice" and store._search is None
    # A name: a binary search over blocks of search.bin, not the whole index.
    assert store.resolve("張愛麗") == "alice" and store.resolve("NOVA") == "m3"
    assert store._search is not None and store._names is None
    # An unknown name: the whole index, to suggest.
    with pytest.raises(UnknownEntity, match="did you mean 'Alice Zhang'"):
        store.resolve("Alise Zhang")
    assert store._names is not None


# What changes in the data to give another store the same size of part, but other bytes.
SWAPS = {"search.bin": ("entities.json", "Carol Wu", "Carol Xu"),
         "edge-index.bin": ("company-invested-in.json", "2023-01", "2023-02"),
         "columns.bin": ("company-invested-in.json", "2023-01", "2023-02")}


@pytest.mark.parametrize(("part", "damage"), [
    *((part, "flip") for part in ("adjacency.bin", "edge-index.bin", "columns.bin",
                                  "search.bin")),
    *((part, "swap") for part in SWAPS)])
def test_a_damaged_part_read_later_is_never_believed(tiny_dir, tiny_copy, cache, part,
                                                     damage):
    """A part read only when needed is checked then, and must be the one its store was
    built with: a byte flipped in it, or the same part of another dataset's store (valid
    in itself), is found, the store removed, and :class:`CacheDamaged` raised."""
    folder = open_store(tiny_dir).folder
    path = folder / part
    if damage == "flip":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    else:
        name, old, new = SWAPS[part]
        edited = tiny_copy / name
        edited.write_text(edited.read_text(encoding="utf-8").replace(old, new, 1),
                          encoding="utf-8")
        other = open_store(tiny_copy).folder / part
        assert other.stat().st_size == path.stat().st_size
        assert other.read_bytes() != path.read_bytes()
        shutil.copy(other, path)
    store = open_store(tiny_dir)  # opened: the part is not read yet
    assert store.folder == folder
    with pytest.raises(CacheDamaged, match="removed"):
        if part == "search.bin":
            store.resolve("Alice Zhang")  # the blocks a binary search reads
            store.names()  # and the whole index
        for name in caching._LAZY_PARTS.get(part, ()):
            list(getattr(store, name))  # every item, so every block
    assert not folder.exists()
    rebuilt = open_store(tiny_dir)
    assert rebuilt.resolve("Carol Wu") == "carol"
    assert connection(rebuilt.view(), "alice", "globex")["paths"][0]["length"] == 2


def test_the_command_line_answers_after_a_damaged_part_is_found(tiny_dir, cache, run_cli):
    expected = run_cli("path", "alice", "globex", "--json").output
    folder = open_store(tiny_dir).folder
    path = folder / "adjacency.bin"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    # Found when the walk reads it: the store is rebuilt and the command answers.
    result = run_cli("path", "alice", "globex", "--json")
    assert result.exit_code == 0, result.output
    assert result.output == expected


def test_a_missing_part_is_found_when_the_store_is_opened(tiny_dir, cache):
    folder = open_store(tiny_dir).folder
    (folder / "columns.bin").unlink()
    store = open_store(tiny_dir)
    assert (folder / "columns.bin").exists()
    assert store.relation[0] in range(256)


@settings(max_examples=200, deadline=None)
@given(count=st.integers(0, 3000), code=st.sampled_from("iq"),
       first=st.integers(-3100, 3100), last=st.integers(-3100, 3100),
       step=st.sampled_from([None, 1, 2, -1]))
def test_an_array_read_block_by_block_reads_as_the_array(tmp_path_factory, count, code, first,
                                                         last, step):
    values = array(code, range(0, 7 * count, 7))
    path = tmp_path_factory.mktemp("blocks") / "part.bin"
    path.write_bytes(pack_blocks({"values": values, "other": array("B", [1, 2, 3])}))
    with open(path, "rb") as stream:
        read = Blocks(stream.fileno()).array("values")
        assert len(read) == len(values)
        assert read[first:last:step].tolist() == values[first:last:step].tolist()
        if -count <= first < count:
            assert read[first] == values[first]
        else:
            with pytest.raises(IndexError):
                read[first]
        assert list(read) == values.tolist()


def test_a_damaged_block_is_found_when_read_and_only_then(tmp_path):
    values = array("q", range(3000))  # six blocks
    path = tmp_path / "part.bin"
    path.write_bytes(pack_blocks({"values": values}))
    data = bytearray(path.read_bytes())
    data[len(data) - 8 * (3000 - 1500)] ^= 0x10  # item 1500, in the third block
    path.write_bytes(bytes(data))
    with open(path, "rb") as stream:
        read = Blocks(stream.fileno()).array("values")
        assert read[0] == 0 and read[2999] == 2999 and read[100:200].tolist() == list(
            range(100, 200))
        for wrong in (lambda: read[1500], lambda: read[1000:1100], lambda: list(read)):
            with pytest.raises(Damaged, match="checksum"):
                wrong()


@pytest.mark.parametrize("where", ["header", "table", "short"])
def test_a_damaged_header_or_table_of_blocks_is_found_on_opening(tmp_path, where):
    path = tmp_path / "part.bin"
    payload = pack_blocks({"values": array("q", range(3000))})
    data = bytearray(payload)
    if where == "header":
        data[80] ^= 0x01
    elif where == "table":
        data[payload.index(b"}") + 40] ^= 0x01
    else:
        data = data[:200]
    path.write_bytes(bytes(data))
    with open(path, "rb") as stream, pytest.raises(Damaged):
        Blocks(stream.fileno())


def test_damage_found_late_never_removes_a_store_rebuilt_since(tiny_dir, cache):
    """A command that finds damage in a store it opened earlier removes that store only:
    if another command has meanwhile removed it and rebuilt the store under the same name,
    the rebuilt one stays (it is whole, and removing it would cost another build)."""
    store = open_store(tiny_dir)
    folder = store.folder
    last = len(store.edge_offsets) - 2
    path = folder / "edges.jsonl"
    with open(path, "r+b") as handle:  # damage in a line this store has not read yet
        handle.seek(store.edge_offsets[last] + 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0x01]))
    store.edge(0)  # edges.jsonl is now open in this process
    # Another command found the damage first: it removed the store and built it again.
    shutil.move(folder, folder.with_name("elsewhere"))
    rebuilt = open_store(tiny_dir)
    assert rebuilt.folder == folder
    with pytest.raises(CacheDamaged, match="removed"):
        store.edge(last)
    assert folder.is_dir()
    assert open_store(tiny_dir).edge(last) == rebuilt.edge(last)


def test_a_store_left_half_discarded_is_swept_by_the_next_command(tiny_dir, cache):
    """A command killed while removing a damaged store leaves it renamed aside: the next
    command removes it, and answers from its own store."""
    folder = open_store(tiny_dir).folder
    aside = folder.with_name(".discarding-1-2")
    shutil.copytree(folder, aside)  # as renamed aside, its build's (free) lock inside
    assert (aside / ".lock").exists()
    assert open_store(tiny_dir).folder == folder
    assert not aside.exists()
