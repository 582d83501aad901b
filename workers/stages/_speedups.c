/* C versions of the inner loops of the text path that Python comes nowhere near: is_normalized_text
 * (workers/stages/decoding.py), words_of (workers/stages/enrichment.py), capitalised_spans
 * (workers/stages/entities.py), fingerprint (workers/stages/fingerprints.py), repeated_pair_starts and
 * starts_of_any (workers/stages/text_cleaning.py; starts_of_any also serves workers/stages/dates.py).
 * bench/README.md has what each one saves.
 *
 * Each function returns exactly what the Python code it replaces gives (asserted by property tests in
 * tests/test_speedups.py); that code runs wherever this module could not be built. Nothing here keeps state
 * between calls: the functions are as pure as the stages that call them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Python's `\w` for str patterns (Modules/_sre/sre.c: SRE_UNI_IS_WORD) and str.isalnum's characters plus "_". */
#if PY_VERSION_HEX < 0x030C0000
#define ENSURE_READY(text) (PyUnicode_READY(text) < 0 ? -1 : 0)
#else
#define ENSURE_READY(text) 0 /* every str is ready from 3.12 on */
#endif

/* 0 when `text` is a ready str, else -1 with a TypeError naming the function. */
static int check_text(PyObject *text, const char *function) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s() takes a str", function);
        return -1;
    }
    return ENSURE_READY(text);
}

static inline int is_word_character(Py_UCS4 character) {
    if (character < 128) {
        return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
               (character >= '0' && character <= '9') || character == '_';
    }
    return Py_UNICODE_ISALNUM(character);
}

PyDoc_STRVAR(words_of_doc, "words_of(text: str) -> list[str]\n\nThe \\w+ words of text, as re.findall(r'\\w+', text) gives them.");

static PyObject *words_of(PyObject *module, PyObject *text) {
    if (check_text(text, "words_of") < 0) {
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *words = PyList_New(0);
    if (words == NULL) {
        return NULL;
    }
    Py_ssize_t index = 0;
    while (index < length) {
        if (!is_word_character(PyUnicode_READ(kind, data, index))) {
            index++;
            continue;
        }
        Py_ssize_t start = index;
        do {
            index++;
        } while (index < length && is_word_character(PyUnicode_READ(kind, data, index)));
        PyObject *word = PyUnicode_Substring(text, start, index);
        if (word == NULL || PyList_Append(words, word) < 0) {
            Py_XDECREF(word);
            Py_DECREF(words);
            return NULL;
        }
        Py_DECREF(word);
    }
    return words;
}

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
             "The 16-hex-digit one-permutation MinHash of workers.stages.fingerprints, for a non-empty list of "
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
             "Where a phrase repeated in place may start: see workers.stages.text_cleaning.");

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

/* Whether some character of `text` satisfies `predicate` (static inline: each caller gets its own copy). One loop
   per string kind: reading each character through PyUnicode_READ's switch on the kind cost about as many
   instructions again as the test itself on the seed's two-byte text. */
#define ANY_CHARACTER_OF_KIND(TYPE)                                                                                \
    do {                                                                                                           \
        const TYPE *characters = (const TYPE *)data;                                                               \
        for (Py_ssize_t index = 0; index < length; index++) {                                                      \
            if (predicate(characters[index])) {                                                                    \
                return 1;                                                                                          \
            }                                                                                                      \
        }                                                                                                          \
        return 0;                                                                                                  \
    } while (0)

static inline int any_character(PyObject *text, int (*predicate)(Py_UCS4)) {
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        ANY_CHARACTER_OF_KIND(Py_UCS1);
    case PyUnicode_2BYTE_KIND:
        ANY_CHARACTER_OF_KIND(Py_UCS2);
    default:
        ANY_CHARACTER_OF_KIND(Py_UCS4);
    }
}

static inline int is_unprintable(Py_UCS4 character) {
    if (character >= 0x20 && character < 0x7F) {
        return 0; /* printable ASCII, the common case */
    }
    return character != '\n' && character != '\r' && character != '\t' && !Py_UNICODE_ISPRINTABLE(character);
}

static inline int is_one_of(Py_UCS4 character, const Py_UCS4 *set, int size) {
    for (int index = 0; index < size; index++) {
        if (set[index] == character) {
            return 1;
        }
    }
    return 0;
}

PyDoc_STRVAR(is_normalized_text_doc,
             "is_normalized_text(text: str) -> bool\n\n"
             "True when decoding.normalize_text would return text unchanged because none of its steps applies: "
             "no mojibake lead character, invisible character, no-break space, line or paragraph separator, "
             "carriage return or unprintable character, and every character below U+0300 or in a range whose "
             "characters are their own NFC and never combine (tests/test_speedups.py checks those ranges). "
             "False means the Python steps must decide.");

/* Characters normalize_text acts on: mojibake leads (ÂÃÅÆÐÑâ), invisibles, U+00A0, U+2028, U+2029. */
static const Py_UCS4 NORMALIZED_AWAY[] = {0xC2, 0xC3, 0xC5, 0xC6, 0xD0, 0xD1, 0xE2, 0x200B, 0x200C, 0x200D,
                                          0x2060, 0xFEFF, 0xAD, 0xA0, 0x2028, 0x2029};

/* Ranges above U+0300 of characters that are their own NFC, have combining class 0 and are no composition's
 * second character: general punctuation without the spaces and invisibles, and currency signs. */
static inline int is_nfc_inert(Py_UCS4 character) {
    return character < 0x300 || (character >= 0x2010 && character <= 0x2027) ||
           (character >= 0x2030 && character <= 0x205E) || (character >= 0x20A0 && character <= 0x20C0);
}

static inline int needs_normalizing(Py_UCS4 character) {
    if (character >= 0x20 && character < 0x7F) {
        return 0; /* printable ASCII, the common case */
    }
    return character == '\r' || is_unprintable(character) || !is_nfc_inert(character) ||
           is_one_of(character, NORMALIZED_AWAY, 16);
}

static PyObject *is_normalized_text(PyObject *module, PyObject *text) {
    if (check_text(text, "is_normalized_text") < 0) {
        return NULL;
    }
    return PyBool_FromLong(!any_character(text, needs_normalizing));
}

PyDoc_STRVAR(capitalised_spans_doc,
             "capitalised_spans(text: str, capitals: bytes, connectors: tuple[tuple[str, ...], ...], "
             "abbreviations: tuple[str, ...]) -> list[tuple[int, int]]\n\n"
             "The (start, end) of every match of entities._SPAN in text, as _SPAN.finditer gives them: capitals is "
             "a bitmap of the code points that open a word (bit i of byte i >> 3), connectors the connector "
             "phrases as words, in the order the pattern tries them.");

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
    const unsigned char *capitals;
    Py_ssize_t capitals_bits;
    PyObject *abbreviations; /* a tuple of non-empty str: the words whose final dot a span keeps */
} SpanText;

static inline Py_UCS4 char_at(const SpanText *t, Py_ssize_t at) { return PyUnicode_READ(t->kind, t->data, at); }

static inline int is_capital(const SpanText *t, Py_UCS4 character) {
    return (Py_ssize_t)character < t->capitals_bits && (t->capitals[character >> 3] >> (character & 7) & 1);
}

static inline int is_word_at(const SpanText *t, Py_ssize_t at) {
    return at >= 0 && at < t->length && is_word_character(char_at(t, at));
}

/* [^\W\d_]: a word character that is no decimal digit and no underscore. */
static inline int is_letter_at(const SpanText *t, Py_ssize_t at) {
    Py_UCS4 character = char_at(t, at);
    return is_word_character(character) && character != '_' && !Py_UNICODE_ISDECIMAL(character);
}

/* Whether the abbreviation ends at `end` with a word boundary before it. */
static int abbreviation_ends_at(const SpanText *t, PyObject *abbreviation, Py_ssize_t end) {
    Py_ssize_t size = PyUnicode_GET_LENGTH(abbreviation), start = end - size;
    if (start < 0) {
        return 0;
    }
    for (Py_ssize_t offset = 0; offset < size; offset++) {
        if (char_at(t, start + offset) != PyUnicode_READ_CHAR(abbreviation, offset)) {
            return 0;
        }
    }
    return !is_word_at(t, start - 1); /* \b: the abbreviation's first letter is a word character */
}

/* entities._WORD_TAIL from `at`: where it ends. */
static Py_ssize_t word_tail(const SpanText *t, Py_ssize_t at) {
    Py_ssize_t count = 0;
    while (count < 40 && is_word_at(t, at)) {
        at++, count++;
    }
    for (int joined = 0; joined < 4; joined++) {
        if (at + 1 >= t->length || !is_word_at(t, at + 1)) {
            break;
        }
        Py_UCS4 joiner = char_at(t, at);
        if (joiner != '\'' && joiner != 0x2019 && joiner != '.' && joiner != '&' && joiner != '-') {
            break;
        }
        at++;
        count = 0;
        while (count < 40 && is_word_at(t, at)) {
            at++, count++;
        }
    }
    if (at < t->length && char_at(t, at) == '.') {
        int kept = at >= 2 && char_at(t, at - 2) == '.' && is_letter_at(t, at - 1);
        for (Py_ssize_t index = 0; !kept && index < PyTuple_GET_SIZE(t->abbreviations); index++) {
            kept = abbreviation_ends_at(t, PyTuple_GET_ITEM(t->abbreviations, index), at);
        }
        if (kept) {
            at++;
        }
    }
    return at;
}

static inline Py_ssize_t skip_blanks(const SpanText *t, Py_ssize_t at) {
    while (at < t->length && (char_at(t, at) == ' ' || char_at(t, at) == '\t')) {
        at++;
    }
    return at;
}

/* Where the connector phrase (words joined by [ \t]+) ends when it starts at `at`, else -1. */
static Py_ssize_t connector_end(const SpanText *t, PyObject *words, Py_ssize_t at) {
    for (Py_ssize_t index = 0; index < PyTuple_GET_SIZE(words); index++) {
        if (index > 0) {
            Py_ssize_t after = skip_blanks(t, at);
            if (after == at) {
                return -1;
            }
            at = after;
        }
        PyObject *word = PyTuple_GET_ITEM(words, index);
        Py_ssize_t size = PyUnicode_GET_LENGTH(word);
        if (at + size > t->length) {
            return -1;
        }
        for (Py_ssize_t offset = 0; offset < size; offset++) {
            if (char_at(t, at + offset) != PyUnicode_READ_CHAR(word, offset)) {
                return -1;
            }
        }
        at += size;
    }
    return at;
}

/* The end of the _SPAN match that starts with the capital at `start`. */
static Py_ssize_t span_end(const SpanText *t, PyObject *connectors, Py_ssize_t start) {
    Py_ssize_t end = word_tail(t, start + 1);
    for (int repeat = 0; repeat < 6; repeat++) {
        Py_ssize_t after_blanks = skip_blanks(t, end);
        if (after_blanks == end) {
            break;
        }
        Py_ssize_t next_word = -1;
        Py_UCS4 first = after_blanks < t->length ? char_at(t, after_blanks) : 0;
        for (Py_ssize_t index = 0; index < PyTuple_GET_SIZE(connectors) && next_word < 0; index++) {
            PyObject *phrase = PyTuple_GET_ITEM(connectors, index);
            if (PyUnicode_READ_CHAR(PyTuple_GET_ITEM(phrase, 0), 0) != first) {
                continue; /* the phrase cannot start here: most words are tried against none */
            }
            Py_ssize_t after_connector = connector_end(t, phrase, after_blanks);
            if (after_connector < 0) {
                continue;
            }
            Py_ssize_t word_start = skip_blanks(t, after_connector);
            if (word_start > after_connector && word_start < t->length && is_capital(t, char_at(t, word_start))) {
                next_word = word_start;
            }
        }
        if (next_word < 0) { /* no connector: the next word must start right after the blanks */
            if (after_blanks >= t->length || !is_capital(t, char_at(t, after_blanks))) {
                break;
            }
            next_word = after_blanks;
        }
        end = word_tail(t, next_word + 1);
    }
    return end;
}

static PyObject *capitalised_spans(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) || !PyTuple_Check(args[2]) ||
        !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "capitalised_spans() takes a str, bytes and two tuples");
        return NULL;
    }
    for (Py_ssize_t index = 0; index < PyTuple_GET_SIZE(args[3]); index++) {
        PyObject *abbreviation = PyTuple_GET_ITEM(args[3], index);
        if (!PyUnicode_Check(abbreviation) || ENSURE_READY(abbreviation) < 0 ||
            PyUnicode_GET_LENGTH(abbreviation) == 0) {
            PyErr_SetString(PyExc_TypeError, "capitalised_spans() takes non-empty abbreviations");
            return NULL;
        }
    }
    PyObject *text = args[0], *connectors = args[2];
    if (ENSURE_READY(text) < 0) {
        return NULL;
    }
    for (Py_ssize_t index = 0; index < PyTuple_GET_SIZE(connectors); index++) {
        PyObject *words = PyTuple_GET_ITEM(connectors, index);
        if (!PyTuple_Check(words) || PyTuple_GET_SIZE(words) == 0) {
            PyErr_SetString(PyExc_TypeError, "capitalised_spans() takes connectors as non-empty tuples of str");
            return NULL;
        }
        for (Py_ssize_t word = 0; word < PyTuple_GET_SIZE(words); word++) {
            PyObject *item = PyTuple_GET_ITEM(words, word);
            if (!PyUnicode_Check(item) || ENSURE_READY(item) < 0 || PyUnicode_GET_LENGTH(item) == 0) {
                PyErr_SetString(PyExc_TypeError, "capitalised_spans() takes non-empty connector words");
                return NULL;
            }
        }
    }
    SpanText t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text),
                  (const unsigned char *)PyBytes_AS_STRING(args[1]), PyBytes_GET_SIZE(args[1]) * 8, args[3]};
    PyObject *spans = PyList_New(0);
    if (spans == NULL) {
        return NULL;
    }
    Py_ssize_t at = 0;
    while (at < t.length) {
        Py_UCS4 character = char_at(&t, at);
        if (!is_capital(&t, character) ||
            (at > 0 && (is_word_at(&t, at - 1) || char_at(&t, at - 1) == '\'' || char_at(&t, at - 1) == 0x2019))) {
            at++;
            continue;
        }
        Py_ssize_t end = span_end(&t, connectors, at);
        PyObject *span = PyTuple_New(2);
        if (span != NULL) {
            PyTuple_SET_ITEM(span, 0, PyLong_FromSsize_t(at));
            PyTuple_SET_ITEM(span, 1, PyLong_FromSsize_t(end));
            if (PyTuple_GET_ITEM(span, 0) == NULL || PyTuple_GET_ITEM(span, 1) == NULL) {
                Py_CLEAR(span);
            }
        }
        if (span == NULL || PyList_Append(spans, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(spans);
            return NULL;
        }
        Py_DECREF(span);
        at = end;
    }
    return spans;
}

static PyMethodDef speedup_methods[] = {
    {"words_of", (PyCFunction)words_of, METH_O, words_of_doc},
    {"fingerprint", (PyCFunction)(void (*)(void))fingerprint, METH_FASTCALL, fingerprint_doc},
    {"repeated_pair_starts", (PyCFunction)(void (*)(void))repeated_pair_starts, METH_FASTCALL,
     repeated_pair_starts_doc},
    {"starts_of_any", (PyCFunction)(void (*)(void))starts_of_any, METH_FASTCALL, starts_of_any_doc},
    {"is_normalized_text", (PyCFunction)is_normalized_text, METH_O, is_normalized_text_doc},
    {"capitalised_spans", (PyCFunction)(void (*)(void))capitalised_spans, METH_FASTCALL, capitalised_spans_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT, "_speedups", "C versions of the text path's hottest loops.", -1, speedup_methods,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    fill_crc_table();
    return PyModule_Create(&speedups_module);
}
