# Writes OUT: a C++ source defining `std::string_view SYMBOL()` that returns IN's contents.
file(READ ${IN} content)
file(WRITE ${OUT}.tmp "// Generated from ${IN}; do not edit.\n#include <string_view>\n\nnamespace janji {\n\nstd::string_view ${SYMBOL}() {\n  return R\"janji_data(${content})janji_data\";\n}\n\n}  // namespace janji\n")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
