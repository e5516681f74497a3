#pragma once
// "Did you mean ...?" for mistyped keys, enum values and property ids.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace alertflow::cli {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within 3 edits; a candidate that would need every letter changed is no
// suggestion (otherwise any 3-letter word would "mean" xdr).
std::optional<std::string_view> closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace alertflow::cli
