// Replays a fuzz target's corpus without libFuzzer: every regular file under the paths
// given (files or directories, recursively, in name order) goes once through
// LLVMFuzzerTestOneInput. The g++ build links each target with this main, so the committed
// corpora — seeds and every crash ever found — run in ctest without clang.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace
{

std::vector<fs::path> inputs_under(const fs::path& root)
{
    std::vector<fs::path> files;
    if (fs::is_regular_file(root))
        files.push_back(root);
    else if (fs::is_directory(root))
        for (const auto& entry : fs::recursive_directory_iterator(root))
            if (entry.is_regular_file())
                files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

int main(int argc, char** argv)
{
    std::size_t replayed = 0;
    for (int i = 1; i < argc; ++i)
    {
        auto files = inputs_under(argv[i]);
        if (files.empty())
        {
            std::cerr << "replay: no input files under " << argv[i] << "\n";
            return 1;
        }
        for (const auto& file : files)
        {
            std::ifstream in(file, std::ios::binary);
            std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            if (!in.good() && !in.eof())
            {
                std::cerr << "replay: cannot read " << file << "\n";
                return 1;
            }
            // A copy of exactly the file's size, so that ASan sees a read past its end.
            std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
            LLVMFuzzerTestOneInput(data.data(), data.size());
            ++replayed;
        }
    }
    if (replayed == 0)
    {
        std::cerr << "usage: " << argv[0] << " CORPUS_DIR_OR_FILE...\n";
        return 1;
    }
    std::cout << "replayed " << replayed << " inputs\n";
    return 0;
}
