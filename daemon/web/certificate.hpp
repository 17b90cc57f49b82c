#pragma once

// The desk console's TLS certificate (docs/console.md "HTTPS and the certificate"). When
// the config names none, motcuad creates a self-signed one at first start in the state
// directory — an EC P-256 key (mode 0600) and a certificate valid ten years for the box's
// host name, its addresses and localhost — and reuses it at every later start, so the
// fingerprint a technician confirmed in each browser stays the same. `motcuactl web cert`
// prints that fingerprint (the `web.cert` command answers describe()).

#include "util/result.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <vector>

namespace motcua::web
{

struct CertificateFiles
{
    std::string cert; // PEM: the certificate (a chain: the server's first)
    std::string key;  // PEM: its private key
};

// What a browser shows of a certificate, read from its file.
struct CertificateInfo
{
    std::string path;
    std::string fingerprint;  // SHA-256 of the DER, "AB:CD:…" (32 pairs, upper case)
    std::string subject;      // "CN=motcua console box"
    std::string not_before;   // "2026-12-01T13:30:00Z"
    std::string not_after;
    std::vector<std::string> names; // subjectAltName entries: "DNS:localhost", "IP:127.0.0.1"
    bool self_signed = false;
};

// The files of the self-signed certificate in `state_dir`.
CertificateFiles self_signed_files(const std::string& state_dir);

// Creates the self-signed pair in `state_dir` unless both files are there (then nothing is
// touched). `names` are the host names and IP addresses it is for ("localhost",
// "127.0.0.1", "::1" are always added). Each file is written whole under a temporary name
// and renamed, the key with mode 0600, so a power cut leaves the old pair or the new one.
// Returns whether it created them.
Result<bool> ensure_self_signed(const std::string& state_dir, const std::vector<std::string>& names);

// The host name and every address of this machine's interfaces (up, not link-local): what
// a self-signed certificate is made for.
std::vector<std::string> local_names();

// Reads a PEM certificate file.
Result<CertificateInfo> read_certificate(const std::string& path);

// A TLS server context: TLS 1.2 and 1.3 only, the certificate chain and key from `files`
// (errors name the file and what is wrong with it: missing, unreadable, not matching).
Result<std::shared_ptr<boost::asio::ssl::context>> tls_context(const CertificateFiles& files);

} // namespace motcua::web
