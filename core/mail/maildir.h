#pragma once
// Finding the messages of a maildir: the files in its cur/ and new/ folders, and those of the
// maildirs nested inside it (Maildir++ ".Folder" subfolders, or plain subfolders that are
// maildirs themselves). Nothing is moved or renamed: kefu only reads a mail store.

#include <filesystem>
#include <functional>

namespace kefu::mail {

// True when `dir` is a maildir: it has both a cur/ and a new/ subfolder.
bool is_maildir(const std::filesystem::path& dir);

// Calls `visit` for every message file under `root`: for each maildir found (root itself and
// any folder below it, at any depth up to 64), the regular files in cur/ then new/, each
// sorted by name, then its subfolders in name order. tmp/ (messages still being written) and
// names starting with '.' inside cur/ and new/ are skipped. Symbolic links are followed, but
// each folder is visited once, so a link loop ends. Throws kefu::Error when `root` or a folder
// under it cannot be read.
void walk_maildir(const std::filesystem::path& root,
                  const std::function<void(const std::filesystem::path&)>& visit);

}  // namespace kefu::mail
