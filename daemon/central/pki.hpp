#pragma once

// The province's certificate authority for mutual TLS between the boxes and motcua-central
// (docs/central.md "Certificates"). OpenSSL 3, EC P-256 keys, SHA-256 signatures, random
// 128-bit serials. Private keys are written whole under a temporary name with mode 0600
// and renamed, so a power cut leaves no half key. A box's certificate names its site code
// as the subject CN: that is how the central knows who uploads.

#include "util/result.hpp"

#include <openssl/x509.h>

#include <filesystem>
#include <string>
#include <vector>

namespace motcua::central::pki
{

// The files of an authority directory.
std::filesystem::path ca_key_path(const std::filesystem::path& dir);  // dir/ca.key
std::filesystem::path ca_cert_path(const std::filesystem::path& dir); // dir/ca.crt

// Creates dir/ca.key (0600) and dir/ca.crt (self-signed, CA:TRUE, keyCertSign and cRLSign,
// subject CN = name) valid `days`. Creates `dir` (0700) if missing. Refuses
// ("ca_exists") when either file is already there: a new CA would orphan every box.
Result<void> create_authority(const std::filesystem::path& dir, const std::string& name, int days);

// A box's side of enrolment: a fresh key at `key` (0600) and a signing request at `csr`
// (PEM, subject CN = site, signed by that key). Overwrites neither: "key_exists" /
// "csr_exists" when one is there (the caller removes them to start again).
Result<void> create_key_and_request(const std::filesystem::path& key, const std::filesystem::path& csr,
                                    const std::string& site);

struct Signed
{
    std::string certificate_pem;
    std::string serial_hex;         // upper case, no separators
    std::string fingerprint_sha256; // of the DER, "AB:CD:…" (32 pairs, upper case)
    std::string not_after;          // "2031-12-01T10:00:00Z"
};

// Signs a box's request with the CA in `ca_dir`: checks the request's own signature and that
// its CN is `site` ("csr_site_mismatch" names both otherwise); the certificate is for
// clientAuth only, valid `days`.
Result<Signed> sign_request(const std::filesystem::path& ca_dir, const std::string& csr_pem, const std::string& site,
                            int days);

// The central's own TLS server certificate signed by the CA: a fresh key at `key_path`
// (0600) and the certificate at `cert_path`, for serverAuth, with subjectAltName entries
// for `names` (host names as DNS, addresses such as "127.0.0.1" or "::1" as IP). Replaces
// an existing pair (a renewal).
Result<void> create_server_certificate(const std::filesystem::path& ca_dir, const std::filesystem::path& key_path,
                                       const std::filesystem::path& cert_path, const std::vector<std::string>& names,
                                       int days);

// The subject's CN of a certificate (the peer's, on the server): "no_common_name" when it
// has none or more than one.
Result<std::string> subject_common_name(X509* cert);

} // namespace motcua::central::pki
