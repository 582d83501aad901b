/* py3langid's likeliest language of a text in one C call, over the arrays of its loaded model.
 *
 * The same computation as py3langid 0.4's LanguageIdentifier.classify with normalised probabilities: a walk of the
 * byte n-gram automaton counting the features it passes, naive Bayes scores (log(1 + count) times each feature's
 * row of per-language weights, plus the language priors), a softmax at temperature sqrt(bytes), the columns of a
 * language listed twice folded into the first, and the first language of highest probability. In Python the
 * walk and the numpy calls around it took a fifth of the text path; workers/stages/language/identification.py uses
 * py3langid's own classify where this module is not built, and tests/test_languages.py compares the two.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static float half_to_float(uint16_t half) {
    uint32_t sign = (uint32_t)(half & 0x8000u) << 16;
    uint32_t exponent = (half >> 10) & 0x1fu;
    uint32_t mantissa = half & 0x3ffu;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { /* a subnormal half is a normal float */
            int32_t shift = 0;
            while (!(mantissa & 0x400u)) {
                mantissa <<= 1;
                shift++;
            }
            mantissa &= 0x3ffu;
            bits = sign | ((uint32_t)(127 - 15 + 1 - shift) << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

typedef struct {
    Py_buffer text, next_move, rows, outputs, weights, priors, aliases;
} Buffers;

static void release(Buffers *b) {
    Py_buffer *all[] = {&b->text, &b->next_move, &b->rows, &b->outputs, &b->weights, &b->priors, &b->aliases};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (all[i]->obj != NULL) PyBuffer_Release(all[i]);
    }
}

/* likeliest(text: bytes, next_move: u32[], rows: u32[], outputs: i32[], weights: f16[], priors: f32[],
 *           aliases: i32[]) -> (column, probability)
 * next_move is the automaton's transition table (256 entries a row), rows the row of each state, outputs the
 * feature of each state (-1: none), weights the features × languages table, aliases (first, duplicate) pairs. */
static PyObject *likeliest(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "likeliest() takes 7 arguments");
        return NULL;
    }
    Buffers b;
    memset(&b, 0, sizeof b);
    Py_buffer *targets[] = {&b.text, &b.next_move, &b.rows, &b.outputs, &b.weights, &b.priors, &b.aliases};
    for (Py_ssize_t i = 0; i < 7; i++) {
        if (PyObject_GetBuffer(args[i], targets[i], PyBUF_SIMPLE) < 0) {
            release(&b);
            return NULL;
        }
    }
    const uint8_t *text = b.text.buf;
    const uint32_t *next_move = b.next_move.buf;
    const uint32_t *rows = b.rows.buf;
    const int32_t *outputs = b.outputs.buf;
    const uint16_t *weights = b.weights.buf;
    const float *priors = b.priors.buf;
    const int32_t *aliases = b.aliases.buf;
    Py_ssize_t moves = b.next_move.len / 4, states = b.rows.len / 4, languages = b.priors.len / 4;
    Py_ssize_t features = languages ? b.weights.len / 2 / languages : 0, alias_count = b.aliases.len / 8;
    if (b.outputs.len / 4 != states || languages == 0 || features * languages * 2 != b.weights.len) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "the model's arrays do not fit together");
        return NULL;
    }

    /* Features in the order first passed (as Python's Counter keeps them), found again through a hash table. */
    Py_ssize_t slots = 64;
    while (slots < 2 * b.text.len + 2) slots <<= 1;
    int32_t *seen = PyMem_Malloc((size_t)slots * sizeof(int32_t));
    int32_t *feature_of = PyMem_Malloc((size_t)(b.text.len + 1) * sizeof(int32_t));
    int32_t *count_of = PyMem_Malloc((size_t)(b.text.len + 1) * sizeof(int32_t));
    float *scores = PyMem_Malloc((size_t)languages * sizeof(float));
    if (!seen || !feature_of || !count_of || !scores) {
        PyMem_Free(seen);
        PyMem_Free(feature_of);
        PyMem_Free(count_of);
        PyMem_Free(scores);
        release(&b);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < slots; i++) seen[i] = -1;
    Py_ssize_t distinct = 0;
    uint32_t state = 0;
    int broken = 0;
    for (Py_ssize_t i = 0; i < b.text.len; i++) {
        Py_ssize_t move = ((Py_ssize_t)rows[state] << 8) + text[i];
        if (move >= moves || next_move[move] >= (uint32_t)states) {
            broken = 1;
            break;
        }
        state = next_move[move];
        int32_t feature = outputs[state];
        if (feature < 0) continue;
        if (feature >= features) {
            broken = 1;
            break;
        }
        Py_ssize_t slot = ((uint32_t)feature * 2654435761u) & (uint32_t)(slots - 1);
        while (seen[slot] >= 0 && feature_of[seen[slot]] != feature) slot = (slot + 1) & (slots - 1);
        if (seen[slot] < 0) {
            seen[slot] = (int32_t)distinct;
            feature_of[distinct] = feature;
            count_of[distinct] = 0;
            distinct++;
        }
        count_of[seen[slot]]++;
    }
    if (broken) {
        PyMem_Free(seen);
        PyMem_Free(feature_of);
        PyMem_Free(count_of);
        PyMem_Free(scores);
        release(&b);
        PyErr_SetString(PyExc_ValueError, "the automaton left its tables");
        return NULL;
    }

    /* Without a feature every score is 0 (py3langid's featureless case under normalised probabilities). */
    for (Py_ssize_t c = 0; c < languages; c++) scores[c] = 0.0f;
    if (distinct > 0) {
        for (Py_ssize_t k = 0; k < distinct; k++) {
            float weight = log1pf((float)count_of[k]);
            const uint16_t *row = weights + (Py_ssize_t)feature_of[k] * languages;
            for (Py_ssize_t c = 0; c < languages; c++) scores[c] += weight * half_to_float(row[c]);
        }
        for (Py_ssize_t c = 0; c < languages; c++) scores[c] += priors[c];
    }
    float temperature = (float)(1.0 / sqrt((double)(b.text.len ? b.text.len : 1)));
    float highest = -INFINITY;
    for (Py_ssize_t c = 0; c < languages; c++) {
        scores[c] *= temperature;
        if (scores[c] > highest) highest = scores[c];
    }
    double total = 0.0;
    for (Py_ssize_t c = 0; c < languages; c++) {
        scores[c] = expf(scores[c] - highest);
        total += scores[c];
    }
    float sum = (float)total;
    for (Py_ssize_t c = 0; c < languages; c++) scores[c] /= sum;
    for (Py_ssize_t a = 0; a < alias_count; a++) {
        int32_t first = aliases[2 * a], duplicate = aliases[2 * a + 1];
        if (first >= 0 && first < languages && duplicate >= 0 && duplicate < languages) {
            scores[first] += scores[duplicate];
            scores[duplicate] = 0.0f;
        }
    }
    Py_ssize_t best = 0;
    for (Py_ssize_t c = 1; c < languages; c++) {
        if (scores[c] > scores[best]) best = c;
    }
    double probability = scores[best];
    PyMem_Free(seen);
    PyMem_Free(feature_of);
    PyMem_Free(count_of);
    PyMem_Free(scores);
    release(&b);
    return Py_BuildValue("(nd)", best, probability);
}

static PyMethodDef methods[] = {
    {"likeliest", (PyCFunction)(void (*)(void))likeliest, METH_FASTCALL,
     "likeliest(text, next_move, rows, outputs, weights, priors, aliases) -> (column, probability)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "_language_scores", "py3langid's likeliest language in one C call.", -1, methods,
};

PyMODINIT_FUNC PyInit__language_scores(void) { return PyModule_Create(&module_definition); }
