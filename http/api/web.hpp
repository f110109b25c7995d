// The web dashboard's static files (web/), compiled into the binary by
// web/embed.cmake, and the handler that serves them at / without the API
// key (the page asks for the key and sends it with every API call).
#pragma once

#include "http/exchange.hpp"

#include <string_view>
#include <vector>

namespace discotheque::http {

/// One embedded file: its path ("/app.js"), its bytes and its ETag (a hash
/// of the content, quoted).
struct web_asset {
  std::string_view path;
  std::string_view body;
  std::string_view etag;
};

/// Every file of web/ (generated: build/.../generated/web_assets.cpp).
const std::vector<web_asset>& web_assets();

/// The content type for a file name by its extension.
std::string content_type_for(std::string_view path);

/// Answers GET/HEAD of a dashboard file ("/" is /index.html): 200 with
/// content type, ETag and Cache-Control: no-cache (the browser revalidates,
/// so a new binary's files are seen at once); 304 when If-None-Match names
/// the ETag; 404 for anything else, 405 for other methods.
response serve_web(const request& req, const std::vector<web_asset>& assets);

} // namespace discotheque::http
