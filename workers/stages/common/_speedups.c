/* C versions of the inner loops of the text path that Python comes nowhere near, each saving at least 5 % of it:
 * fingerprint (workers/stages/enrich/fingerprints.py), repeated_pair_starts and starts_of_any
 * (workers/stages/text/dump_cleaning.py; starts_of_any also serves workers/stages/enrich/dates.py). bench/README.md has
 * what each one saves (bench/native_code.py measures it).
 *
 * Each function returns exactly what the Python code it replaces gives (asserted by property tests in
 * tests/test_speedups.py); that code runs wherever this module could not be built. Nothing here keeps state
 * between calls: the functions are as pure as the stages that call them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if PY_VERSION_HEX < 0x030C0000
#define ENSURE_READY(text) (PyUnicode_READY(text) < 0 ? -1 : 0)
#else
#define ENSURE_READY(text) 0 /* every str is ready from 3.12 on */
#endif

/* CRC-32 as zlib.crc32 computes it (reflected polynomial 0xEDB88320). */
static uint32_t crc_table[256];

static void fill_crc_table(void) {
    for (uint32_t value = 0; value < 256; value++) {
        uint32_t crc = value;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        crc_table[value] = crc;
    }
}

static uint32_t crc32_of(const unsigned char *bytes, Py_ssize_t size) {
    uint32_t crc = 0xFFFFFFFFu;
    for (Py_ssize_t index = 0; index < size; index++) {
        crc = crc_table[(crc ^ bytes[index]) & 0xFF] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

/* Each byte of a 32-bit little-endian value passed through a byte permutation (bytes.translate). */
static inline uint32_t permuted(uint32_t value, const unsigned char *permutation) {
    return (uint32_t)permutation[value & 0xFF] | (uint32_t)permutation[(value >> 8) & 0xFF] << 8 |
           (uint32_t)permutation[(value >> 16) & 0xFF] << 16 | (uint32_t)permutation[value >> 24] << 24;
}

#define SHINGLE_WORDS 3
#define BUCKETS 16
#define HASH_MASK 0x3FFFFFFFu /* 30-bit hashes */
#define BUCKET_SHIFT 26       /* the top 4 of those 30 bits pick the bucket */

PyDoc_STRVAR(fingerprint_doc,
             "fingerprint(words: list[str], second: bytes, third: bytes) -> str\n\n"
             "The 16-hex-digit one-permutation MinHash of workers.stages.enrich.fingerprints, for a non-empty list of "
             "\\w+ words; second and third are the byte permutations of a shingle's second and third word.");

static PyObject *fingerprint(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyBytes_Check(args[1]) || !PyBytes_Check(args[2]) || PyBytes_GET_SIZE(args[1]) != 256 ||
        PyBytes_GET_SIZE(args[2]) != 256) {
        PyErr_SetString(PyExc_TypeError, "fingerprint() takes a sequence of str and two 256-byte permutations");
        return NULL;
    }
    const unsigned char *second = (const unsigned char *)PyBytes_AS_STRING(args[1]);
    const unsigned char *third = (const unsigned char *)PyBytes_AS_STRING(args[2]);
    /* As the Python version does: lower-case the words joined by NUL (no \w word holds one), encode, split. */
    PyObject *separator = PyUnicode_FromOrdinal(0);
    if (separator == NULL) {
        return NULL;
    }
    PyObject *joined = PyUnicode_Join(separator, args[0]);
    Py_DECREF(separator);
    if (joined == NULL) {
        return NULL;
    }
    PyObject *lowered = PyObject_CallMethod(joined, "lower", NULL);
    Py_DECREF(joined);
    if (lowered == NULL) {
        return NULL;
    }
    PyObject *encoded = PyUnicode_AsEncodedString(lowered, "utf-8", "surrogatepass");
    Py_DECREF(lowered);
    if (encoded == NULL) {
        return NULL;
    }
    const unsigned char *bytes = (const unsigned char *)PyBytes_AS_STRING(encoded);
    Py_ssize_t size = PyBytes_GET_SIZE(encoded);

    Py_ssize_t word_count = 1;
    for (Py_ssize_t index = 0; index < size; index++) {
        word_count += bytes[index] == 0;
    }
    Py_ssize_t padded = word_count < SHINGLE_WORDS ? SHINGLE_WORDS : word_count;
    uint32_t *word_hashes = PyMem_Malloc(sizeof(uint32_t) * (size_t)padded);
    if (word_hashes == NULL) {
        Py_DECREF(encoded);
        return PyErr_NoMemory();
    }
    Py_ssize_t word = 0, start = 0;
    for (Py_ssize_t index = 0; index <= size; index++) {
        if (index == size || bytes[index] == 0) {
            word_hashes[word++] = crc32_of(bytes + start, index - start);
            start = index + 1;
        }
    }
    Py_DECREF(encoded);
    uint32_t empty_word = crc32_of((const unsigned char *)"", 0); /* short bodies are padded with b"" */
    while (word < padded) {
        word_hashes[word++] = empty_word;
    }

    uint32_t smallest[BUCKETS];
    int filled[BUCKETS] = {0};
    for (Py_ssize_t index = 0; index + SHINGLE_WORDS <= padded; index++) {
        uint32_t hash = (word_hashes[index] ^ permuted(word_hashes[index + 1], second) ^
                         permuted(word_hashes[index + 2], third)) & HASH_MASK;
        uint32_t bucket = hash >> BUCKET_SHIFT;
        if (!filled[bucket] || hash < smallest[bucket]) {
            smallest[bucket] = hash;
            filled[bucket] = 1;
        }
    }
    PyMem_Free(word_hashes);

    static const char hex_digits[] = "0123456789abcdef";
    char digits[BUCKETS];
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
        digits[bucket] = hex_digits[filled[bucket] ? smallest[bucket] & 0xF : 0];
    }
    return PyUnicode_FromStringAndSize(digits, BUCKETS);
}

/* A whitespace-separated token of a line: where it starts, and its span once punctuation is stripped. */
typedef struct {
    Py_ssize_t start;
    Py_ssize_t word_start;
    Py_ssize_t word_length;
} Token;

/* A set of characters: a bitmap for ASCII, the string itself for the rest (str.strip's `chars`). */
typedef struct {
    uint64_t ascii[2];
    int kind;
    const void *data;
    Py_ssize_t length;
} CharacterSet;

static void fill_character_set(CharacterSet *set, PyObject *characters) {
    set->ascii[0] = set->ascii[1] = 0;
    set->kind = PyUnicode_KIND(characters);
    set->data = PyUnicode_DATA(characters);
    set->length = PyUnicode_GET_LENGTH(characters);
    for (Py_ssize_t index = 0; index < set->length; index++) {
        Py_UCS4 character = PyUnicode_READ(set->kind, set->data, index);
        if (character < 128) {
            set->ascii[character >> 6] |= (uint64_t)1 << (character & 63);
        }
    }
}

static inline int in_character_set(const CharacterSet *set, Py_UCS4 character) {
    if (character < 128) {
        return (int)(set->ascii[character >> 6] >> (character & 63) & 1);
    }
    for (Py_ssize_t index = 0; index < set->length; index++) {
        if (PyUnicode_READ(set->kind, set->data, index) == character) {
            return 1;
        }
    }
    return 0;
}

static inline int same_word(const Token *first, const Token *second, int kind, const void *data) {
    return first->word_length == second->word_length &&
           memcmp((const char *)data + first->word_start * kind, (const char *)data + second->word_start * kind,
                  (size_t)(first->word_length * kind)) == 0;
}

#define MAX_PHRASE_WORDS 6

PyDoc_STRVAR(repeated_pair_starts_doc,
             "repeated_pair_starts(line: str, punctuation: str) -> list[int]\n\n"
             "Where a phrase repeated in place may start: see workers.stages.text.dump_cleaning.");

static PyObject *repeated_pair_starts(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "repeated_pair_starts() takes two str");
        return NULL;
    }
    PyObject *line = args[0], *punctuation = args[1];
    if (ENSURE_READY(line) < 0 || ENSURE_READY(punctuation) < 0) {
        return NULL;
    }
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t length = PyUnicode_GET_LENGTH(line);
    CharacterSet punctuation_set;
    fill_character_set(&punctuation_set, punctuation);

    Py_ssize_t capacity = length / 2 + 1; /* a token and a space at least */
    Token *tokens = PyMem_Malloc(sizeof(Token) * (size_t)capacity);
    if (tokens == NULL) {
        return PyErr_NoMemory();
    }
    Py_ssize_t count = 0, index = 0;
    while (index < length) {
        if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, index))) {
            index++;
            continue;
        }
        Py_ssize_t start = index;
        while (index < length && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, index))) {
            index++;
        }
        Py_ssize_t word_start = start, word_end = index; /* str.strip(punctuation) */
        while (word_start < word_end &&
               in_character_set(&punctuation_set, PyUnicode_READ(kind, data, word_start))) {
            word_start++;
        }
        while (word_end > word_start &&
               in_character_set(&punctuation_set, PyUnicode_READ(kind, data, word_end - 1))) {
            word_end--;
        }
        tokens[count].start = start;
        tokens[count].word_start = word_start;
        tokens[count].word_length = word_end - word_start;
        count++;
    }

    PyObject *starts = PyList_New(0);
    if (starts == NULL) {
        PyMem_Free(tokens);
        return NULL;
    }
    /* The pair of words at `pair` recurs at `later`; only the nearest earlier occurrence counts, and only when
       it is 2 to MAX_PHRASE_WORDS words back (what the Python version's last-seen dict finds). */
    for (Py_ssize_t later = 1; later + 1 < count; later++) {
        for (Py_ssize_t distance = 1; distance <= MAX_PHRASE_WORDS && distance <= later; distance++) {
            Py_ssize_t pair = later - distance;
            if (same_word(&tokens[pair], &tokens[later], kind, data) &&
                same_word(&tokens[pair + 1], &tokens[later + 1], kind, data)) {
                if (distance >= 2) {
                    PyObject *start = PyLong_FromSsize_t(tokens[pair].start);
                    if (start == NULL || PyList_Append(starts, start) < 0) {
                        Py_XDECREF(start);
                        Py_DECREF(starts);
                        PyMem_Free(tokens);
                        return NULL;
                    }
                    Py_DECREF(start);
                }
                break;
            }
        }
    }
    PyMem_Free(tokens);
    return starts;
}

PyDoc_STRVAR(starts_of_any_doc,
             "starts_of_any(text: str, words: tuple[str, ...]) -> list[int]\n\n"
             "Every offset of text where one of the non-empty words starts, ascending, each offset once.");

/* Whether `word` is at `at` in the text, its first character already known to be there. */
static inline int word_at(PyObject *word, int kind, const void *data, Py_ssize_t length, Py_ssize_t at) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(word);
    if (size > length - at) {
        return 0;
    }
    int word_kind = PyUnicode_KIND(word);
    const void *word_data = PyUnicode_DATA(word);
    for (Py_ssize_t offset = 1; offset < size; offset++) {
        if (PyUnicode_READ(word_kind, word_data, offset) != PyUnicode_READ(kind, data, at + offset)) {
            return 0;
        }
    }
    return 1;
}

/* The words grouped by first character: the chain of an ASCII character starts at ascii_heads[character], every
 * other first character shares one chain (other_head); next[index] links a chain's words, -1 ends it. */
typedef struct {
    Py_ssize_t ascii_heads[128];
    Py_ssize_t other_head;
    Py_ssize_t *next;
    Py_UCS4 *firsts;
} WordChains;

/* The scan for one string kind (called with a constant kind, so the compiler specialises each copy). */
static inline int scan_starts(PyObject *starts, int kind, const void *data, Py_ssize_t length, PyObject *words,
                              const WordChains *chains) {
    for (Py_ssize_t at = 0; at < length; at++) {
        Py_UCS4 character = PyUnicode_READ(kind, data, at);
        Py_ssize_t index = character < 128 ? chains->ascii_heads[character] : chains->other_head;
        for (; index >= 0; index = chains->next[index]) {
            if (chains->firsts[index] == character &&
                word_at(PyTuple_GET_ITEM(words, index), kind, data, length, at)) {
                PyObject *start = PyLong_FromSsize_t(at);
                if (start == NULL || PyList_Append(starts, start) < 0) {
                    Py_XDECREF(start);
                    return -1;
                }
                Py_DECREF(start);
                break;
            }
        }
    }
    return 0;
}

static PyObject *starts_of_any(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "starts_of_any() takes a str and a tuple of str");
        return NULL;
    }
    PyObject *text = args[0], *words = args[1];
    if (ENSURE_READY(text) < 0) {
        return NULL;
    }
    Py_ssize_t word_count = PyTuple_GET_SIZE(words);
    WordChains chains;
    chains.firsts = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(word_count + 1));
    chains.next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(word_count + 1));
    if (chains.firsts == NULL || chains.next == NULL) {
        PyMem_Free(chains.firsts);
        PyMem_Free(chains.next);
        return PyErr_NoMemory();
    }
    for (int character = 0; character < 128; character++) {
        chains.ascii_heads[character] = -1;
    }
    chains.other_head = -1;
    /* Built from the last word back, so each chain lists its words in their order. */
    for (Py_ssize_t index = word_count - 1; index >= 0; index--) {
        PyObject *word = PyTuple_GET_ITEM(words, index);
        if (!PyUnicode_Check(word) || ENSURE_READY(word) < 0 || PyUnicode_GET_LENGTH(word) == 0) {
            PyMem_Free(chains.firsts);
            PyMem_Free(chains.next);
            PyErr_SetString(PyExc_TypeError, "starts_of_any() takes non-empty words");
            return NULL;
        }
        Py_UCS4 first = PyUnicode_READ_CHAR(word, 0);
        chains.firsts[index] = first;
        Py_ssize_t *head = first < 128 ? &chains.ascii_heads[first] : &chains.other_head;
        chains.next[index] = *head;
        *head = index;
    }
    PyObject *starts = PyList_New(0);
    if (starts != NULL) {
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        int failed;
        switch (PyUnicode_KIND(text)) {
        case PyUnicode_1BYTE_KIND:
            failed = scan_starts(starts, PyUnicode_1BYTE_KIND, data, length, words, &chains);
            break;
        case PyUnicode_2BYTE_KIND:
            failed = scan_starts(starts, PyUnicode_2BYTE_KIND, data, length, words, &chains);
            break;
        default:
            failed = scan_starts(starts, PyUnicode_4BYTE_KIND, data, length, words, &chains);
        }
        if (failed) {
            Py_CLEAR(starts);
        }
    }
    PyMem_Free(chains.firsts);
    PyMem_Free(chains.next);
    return starts;
}

static PyMethodDef speedup_methods[] = {
    {"fingerprint", (PyCFunction)(void (*)(void))fingerprint, METH_FASTCALL, fingerprint_doc},
    {"repeated_pair_starts", (PyCFunction)(void (*)(void))repeated_pair_starts, METH_FASTCALL,
     repeated_pair_starts_doc},
    {"starts_of_any", (PyCFunction)(void (*)(void))starts_of_any, METH_FASTCALL, starts_of_any_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "_speedups", "C versions of the text path's hottest loops.", -1, speedup_methods,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    fill_crc_table();
    return PyModule_Create(&speedups_module);
}
