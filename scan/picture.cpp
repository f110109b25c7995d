#include "scan/picture.hpp"

#include <taglib/attachedpictureframe.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4coverart.h>
#include <taglib/mp4file.h>
#include <taglib/mp4tag.h>
#include <taglib/mpegfile.h>
#include <taglib/opusfile.h>
#include <taglib/vorbisfile.h>
#include <taglib/xiphcomment.h>

#include <filesystem>

namespace discotheque::scan {

namespace {

struct picker {
  int64_t max_bytes;
  bool* too_large;
  std::optional<embedded_picture> best;
  bool best_is_front = false;

  /// Keeps the first front cover, else the first picture.
  void offer(const TagLib::ByteVector& bytes, const TagLib::String& mime,
             bool front) {
    if (bytes.isEmpty() || (best && (best_is_front || !front)))
      return;
    if (static_cast<int64_t>(bytes.size()) > max_bytes) {
      if (too_large)
        *too_large = true;
      return;
    }
    best = embedded_picture{std::string{bytes.data(), bytes.size()},
                            mime.to8Bit(true)};
    best_is_front = front;
  }

  void offer_flac(const TagLib::List<TagLib::FLAC::Picture*>& list) {
    for (auto* p : list)
      offer(p->data(), p->mimeType(),
            p->type() == TagLib::FLAC::Picture::FrontCover);
  }

  void offer_xiph(TagLib::Ogg::XiphComment* tag) {
    if (tag)
      offer_flac(tag->pictureList());
  }
};

std::string lower_ext(const std::string& path) {
  auto ext = std::filesystem::path{path}.extension().string();
  for (auto& c : ext)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

} // namespace

std::optional<embedded_picture> read_embedded_picture(const std::string& path,
                                                      int64_t max_bytes,
                                                      bool* too_large) {
  picker pick{max_bytes, too_large, std::nullopt};
  auto ext = lower_ext(path);
  const char* name = path.c_str();
  if (ext == ".mp3" || ext == ".mp2") {
    TagLib::MPEG::File f{name, false};
    if (f.isValid() && f.hasID3v2Tag())
      for (auto* frame : f.ID3v2Tag()->frameList("APIC"))
        if (auto* apic
            = dynamic_cast<TagLib::ID3v2::AttachedPictureFrame*>(frame))
          pick.offer(apic->picture(), apic->mimeType(),
                     apic->type()
                       == TagLib::ID3v2::AttachedPictureFrame::FrontCover);
  } else if (ext == ".flac") {
    TagLib::FLAC::File f{name, false};
    if (f.isValid()) {
      pick.offer_flac(f.pictureList());
      if (!pick.best && f.hasXiphComment())
        pick.offer_xiph(f.xiphComment());
    }
  } else if (ext == ".ogg" || ext == ".oga") {
    TagLib::Ogg::Vorbis::File f{name, false};
    if (f.isValid())
      pick.offer_xiph(f.tag());
  } else if (ext == ".opus") {
    TagLib::Ogg::Opus::File f{name, false};
    if (f.isValid())
      pick.offer_xiph(f.tag());
  } else if (ext == ".m4a" || ext == ".m4b" || ext == ".mp4") {
    TagLib::MP4::File f{name, false};
    if (f.isValid() && f.tag() && f.tag()->contains("covr")) {
      for (const auto& art : f.tag()->item("covr").toCoverArtList()) {
        const char* mime = art.format() == TagLib::MP4::CoverArt::PNG
                             ? "image/png"
                           : art.format() == TagLib::MP4::CoverArt::JPEG
                             ? "image/jpeg"
                             : "";
        // MP4 has no picture types: the first one is the cover.
        pick.offer(art.data(), mime, true);
      }
    }
  }
  return std::move(pick.best);
}

} // namespace discotheque::scan
