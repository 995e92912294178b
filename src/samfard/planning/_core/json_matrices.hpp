// The travel matrices of a problem file, read straight into flat arrays.
//
// A day with a traveller's own address per trip has thousands of locations: 3 000 trips
// are 6 000 places and 72 million matrix entries, hundreds of MB of JSON. Python's json
// module turns each entry into an object in a list (2.3 GB for the two matrices, and
// half a minute), before the model keeps one array of them. `MatrixSplitter` reads the
// file once, in chunks: the value of each top-level key it is asked for ("time",
// "distance") that is an array of arrays of numbers goes into a vector of floats, and
// everything else is copied into `rest`, with `null` where each such value was (and the
// value's line breaks, so the line numbers of a JSON error in the rest stay right).
// The rest is a small JSON document for Python's json module.
#pragma once

#include <charconv>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace samfard {

// A matrix as it is read, row-major: in 32-bit floats while every value is exact in them
// (whole seconds and metres: half the memory), in 64-bit from the first value that is not.
struct ParsedMatrix {
    std::string name;
    size_t rows = 0;
    std::vector<float> narrow;
    std::vector<double> wide;
    bool is_wide = false;

    void add(double value) {
        const float f = static_cast<float>(value);
        if (!is_wide && static_cast<double>(f) == value) {
            narrow.push_back(f);
            return;
        }
        if (!is_wide) {
            wide.reserve(narrow.capacity());
            wide.assign(narrow.begin(), narrow.end());
            narrow = {};
            is_wide = true;
        }
        wide.push_back(value);
    }

    void reserve(size_t count) {
        if (is_wide)
            wide.reserve(count);
        else
            narrow.reserve(count);
    }
};

class MatrixSplitter {
public:
    explicit MatrixSplitter(std::vector<std::string> keys) : keys_(std::move(keys)) {}

    void feed(const char* data, size_t size) {
        const char* const end = data + size;
        for (const char* p = data; p < end;) {
            if (mode_ == Mode::matrix && level_ == 2 && token_.empty()) {
                const char* next = row_run(p, end);
                if (next != p) {
                    p = next;
                    continue;
                }
            }
            step(*p++);
        }
    }

    // The document is complete: an error if a matrix was cut short.
    void finish() {
        if (mode_ == Mode::matrix) fail("ends inside the matrix");
    }

    std::string rest;
    std::vector<ParsedMatrix> matrices;

private:
    enum class Mode { copy, matrix };
    // Where the copy is, as far as finding top-level keys and their values needs.
    enum class Expect { any, key_end, colon, value };

    void step(char c) {
        if (mode_ == Mode::matrix) {
            matrix_char(c);
            return;
        }
        copy_char(c);
    }

    void copy_char(char c) {
        if (in_string_) {
            rest.push_back(c);
            if (escaped_) {
                escaped_ = false;
            } else if (c == '\\') {
                escaped_ = true;
            } else if (c == '"') {
                in_string_ = false;
                if (expect_ == Expect::key_end) expect_ = Expect::colon;
            } else if (expect_ == Expect::key_end) {
                key_.push_back(c);
            }
            return;
        }
        if (expect_ == Expect::value && !is_space(c)) {
            expect_ = Expect::any;
            if (c == '[' && wanted(key_)) {
                start_matrix();
                matrix_char(c);
                return;
            }
        }
        rest.push_back(c);
        switch (c) {
            case '"':
                in_string_ = true;
                // A string that starts at depth 1 after '{' or ',' is a key of the top object.
                if (depth_ == 1 && object_top_ && after_comma_or_open_) {
                    expect_ = Expect::key_end;
                    key_.clear();
                }
                after_comma_or_open_ = false;
                break;
            case ':':
                if (expect_ == Expect::colon) expect_ = Expect::value;
                break;
            case '{':
            case '[':
                ++depth_;
                if (depth_ == 1) object_top_ = (c == '{');
                after_comma_or_open_ = true;
                break;
            case '}':
            case ']':
                --depth_;
                after_comma_or_open_ = false;
                break;
            case ',':
                after_comma_or_open_ = true;
                break;
            default:
                if (!is_space(c)) after_comma_or_open_ = false;
        }
    }

    bool wanted(const std::string& key) const {
        for (const auto& k : keys_)
            if (k == key) return true;
        return false;
    }

    void start_matrix() {
        mode_ = Mode::matrix;
        level_ = 0;
        row_ = 0;
        column_ = 0;
        token_.clear();
        matrices.push_back(ParsedMatrix{key_});
        rest += "null";
    }

    // The matrix's own grammar: '[' rows separated by ',' ']', each row '[' numbers ']'.
    void matrix_char(char c) {
        if (c == '\n') rest.push_back(c);
        ParsedMatrix& m = matrices.back();
        if (level_ == 2 && number_char(c)) {
            token_.push_back(c);
            return;
        }
        if (!token_.empty()) end_number();
        if (is_space(c)) return;
        if (c == '[') {
            if (level_ == 0) {
                level_ = 1;
                want_row_ = true;
            } else if (level_ == 1 && want_row_) {
                level_ = 2;
                column_ = 0;
                want_number_ = true;
                closed_number_ = false;
            } else {
                fail("must be a list of rows of numbers");
            }
        } else if (c == ']') {
            if (level_ == 2) {
                if (want_number_ && column_ > 0) fail("has a ',' before the ']' of row " + std::to_string(row_));
                end_row();
                level_ = 1;
                want_row_ = false;
            } else if (level_ == 1) {
                if (want_row_ && row_ > 0) fail("has a ',' before its last ']'");
                if (row_ != m.rows) fail("has " + std::to_string(row_) + " rows and " + std::to_string(m.rows) +
                                         " columns: it must be square (one row and column per location)");
                mode_ = Mode::copy;
                expect_ = Expect::any;
                after_comma_or_open_ = false;
            }
        } else if (c == ',') {
            if (level_ == 2 && closed_number_) {
                want_number_ = true;
                closed_number_ = false;
            } else if (level_ == 1 && !want_row_) {
                want_row_ = true;
            } else {
                fail("has a ',' where a value belongs");
            }
        } else {
            fail(level_ == 2 ? "[" + std::to_string(row_) + "][" + std::to_string(column_) + "] must be a number"
                             : "must be a list of rows of numbers");
        }
    }

    // Inside a row, the numbers, commas and spaces from p on that lie wholly before `end`,
    // read without going through `step` one character at a time (most of a day's file);
    // where the next character is for `step` (a ']', a number cut by the chunk's end).
    const char* row_run(const char* p, const char* end) {
        while (p < end) {
            const char c = *p;
            if (is_space(c)) {
                if (c == '\n') rest.push_back(c);
                ++p;
            } else if (c == ',' && closed_number_) {
                want_number_ = true;
                closed_number_ = false;
                ++p;
            } else if (number_char(c)) {
                const char* q = p;
                while (q < end && number_char(*q)) ++q;
                if (q == end) return p;
                number(p, q);
                p = q;
            } else {
                return p;
            }
        }
        return p;
    }

    void end_number() {
        number(token_.data(), token_.data() + token_.size());
        token_.clear();
    }

    void number(const char* first, const char* last) {
        ParsedMatrix& m = matrices.back();
        if (!want_number_) fail("[" + std::to_string(row_) + "] has two numbers without a ',' between them");
        double value = 0.0;
        auto [stop, error] = std::from_chars(first, last, value);
        if (error != std::errc() || stop != last)
            fail("[" + std::to_string(row_) + "][" + std::to_string(column_) + "] must be a number, got " +
                 std::string(first, last));
        if (row_ > 0 && column_ >= m.rows)
            fail("row " + std::to_string(row_) + " has more than " + std::to_string(m.rows) +
                 " values, expected " + std::to_string(m.rows) + " (one per location)");
        m.add(value);
        ++column_;
        want_number_ = false;
        closed_number_ = true;
    }

    void end_row() {
        ParsedMatrix& m = matrices.back();
        if (row_ == 0) {
            m.rows = column_;
            m.reserve(m.rows * m.rows);
        } else if (column_ != m.rows) {
            fail("row " + std::to_string(row_) + " has " + std::to_string(column_) + " values, expected " +
                 std::to_string(m.rows) + " (one per location)");
        }
        ++row_;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument(matrices.back().name + " matrix " + what);
    }

    static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
    static bool number_char(char c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 'e' || c == 'E' || c == '+';
    }

    std::vector<std::string> keys_;
    Mode mode_ = Mode::copy;
    Expect expect_ = Expect::any;
    bool in_string_ = false, escaped_ = false;
    int depth_ = 0;
    bool object_top_ = false, after_comma_or_open_ = false;
    std::string key_;
    // Inside a matrix.
    int level_ = 0;  // 0 before its '[', 1 between rows, 2 inside a row
    size_t row_ = 0, column_ = 0;
    bool want_row_ = false, want_number_ = false, closed_number_ = false;
    std::string token_;
};

}  // namespace samfard
