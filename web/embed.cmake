# Turns the dashboard's static files into a C++ source (run at build time by
# the rule in web/web.cmake), so an installed binary needs no files:
#   cmake -DOUTPUT=out.cpp -DWEB_DIR=web -DFILES=index.html,app.js -P embed.cmake
# Each file becomes a byte array with its path and a content hash (its ETag).
string(REPLACE "," ";" FILES "${FILES}")
set(_entries "")
set(_arrays "")
set(_n 0)
foreach(_rel ${FILES})
  file(READ ${WEB_DIR}/${_rel} _hex HEX)
  file(SHA256 ${WEB_DIR}/${_rel} _sha)
  string(SUBSTRING "${_sha}" 0 20 _etag)
  string(LENGTH "${_hex}" _hexlen)
  math(EXPR _size "${_hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," _bytes "${_hex}")
  # Break the initialiser into lines of 16 bytes (long lines slow compilers).
  string(REGEX REPLACE "(('[^']+',){16})" "\\1\n" _bytes "${_bytes}")
  string(APPEND _arrays "const char file_${_n}[] = {\n${_bytes}'\\0'};\n")
  string(APPEND _entries
    "    {\"/${_rel}\", std::string_view{file_${_n}, ${_size}}, \"\\\"${_etag}\\\"\"},\n")
  math(EXPR _n "${_n} + 1")
endforeach()
file(WRITE ${OUTPUT}
"// Generated from web/ by web/embed.cmake. Do not edit.
#include \"http/api/web.hpp\"
namespace discotheque::http {
namespace {
${_arrays}} // namespace
const std::vector<web_asset>& web_assets() {
  static const std::vector<web_asset> all = {
${_entries}  };
  return all;
}
} // namespace discotheque::http
")
