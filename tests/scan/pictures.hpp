// Audio files for the tests: a copy of one of the generated corpus' files,
// with tags or pictures written by TagLib.
#pragma once

#include "scan/corpus.hpp"

#include <taglib/attachedpictureframe.h>
#include <taglib/fileref.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v2tag.h>
#include <taglib/mpegfile.h>
#include <taglib/tag.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace discotheque::test {

/// Copies the corpus' first readable file with extension `ext` (".mp3"
/// with ID3v2, ".flac"; the corpus has broken ones too) to `to`.
inline std::filesystem::path corpus_copy(const std::string& ext,
                                         const std::filesystem::path& to) {
  namespace fs = std::filesystem;
  for (const auto& e :
       fs::recursive_directory_iterator(corpus_dir() / "library")) {
    if (!e.is_regular_file() || e.path().extension() != ext)
      continue;
    if (ext == ".mp3") {
      TagLib::MPEG::File f{e.path().c_str(), false};
      if (!f.isValid() || !f.hasID3v2Tag())
        continue;
    } else if (ext == ".flac") {
      TagLib::FLAC::File f{e.path().c_str(), false};
      if (!f.isValid())
        continue;
    }
    fs::create_directories(to.parent_path());
    fs::copy_file(e.path(), to, fs::copy_options::overwrite_existing);
    return to;
  }
  throw std::runtime_error("no corpus file with extension " + ext);
}

/// Adds a picture of `type` (ID3v2 and FLAC share the numbers: 3 front
/// cover, 4 back cover) to an MP3 or FLAC file.
inline void embed_picture(const std::filesystem::path& file,
                          const std::string& bytes, const std::string& mime,
                          int type = 3) {
  TagLib::ByteVector data{bytes.data(),
                          static_cast<unsigned int>(bytes.size())};
  if (file.extension() == ".mp3") {
    TagLib::MPEG::File f{file.c_str(), false};
    auto* frame = new TagLib::ID3v2::AttachedPictureFrame;
    frame->setMimeType(mime);
    frame->setType(
      static_cast<TagLib::ID3v2::AttachedPictureFrame::Type>(type));
    frame->setPicture(data);
    f.ID3v2Tag(true)->addFrame(frame);
    if (!f.save(TagLib::MPEG::File::ID3v2))
      throw std::runtime_error("cannot save " + file.string());
  } else {
    TagLib::FLAC::File f{file.c_str(), false};
    auto* pic = new TagLib::FLAC::Picture;
    pic->setMimeType(mime);
    pic->setType(static_cast<TagLib::FLAC::Picture::Type>(type));
    pic->setData(data);
    f.addPicture(pic);
    if (!f.save())
      throw std::runtime_error("cannot save " + file.string());
  }
}

/// A copy of the corpus' first readable MP3 at `to`, tagged with this
/// artist and title (what a peer's download or a right or wrong file of
/// the download tests is).
inline std::filesystem::path tagged_mp3(const std::filesystem::path& to,
                                        const std::string& artist,
                                        const std::string& title) {
  corpus_copy(".mp3", to);
  TagLib::FileRef f{to.c_str()};
  f.tag()->setArtist(TagLib::String{artist, TagLib::String::UTF8});
  f.tag()->setTitle(TagLib::String{title, TagLib::String::UTF8});
  f.save();
  return to;
}

} // namespace discotheque::test
