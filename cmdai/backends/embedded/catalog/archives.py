"""Archives and compression: tar, zip, gzip, bzip2, xz."""
from ..intent import intent

#: -a picks the compression from the archive name (.tar, .tar.gz, .tar.bz2, .tar.xz) in GNU tar and bsdtar.
PACK = "compress|archive|tar|pack|bundle|backup|tarball"
UNPACK = "extract|unpack|untar|decompress|unzip|open|expand|uncompress|unarchive|inflate"
DIRNAME = r"[A-Za-z0-9_][\w.-]*"

INTENTS = [
    intent("tar.create", "tar -czf <base>.tar.gz <dir>", PACK, "dir into gzip gz create make tarball a", explain="pack <dir> into <base>.tar.gz"),
    intent("tar.create.named_dir", "tar -czf <arg>.tar.gz <arg>", f"{PACK} dir", "into gzip gz create make tarball", arg=DIRNAME,
           explain="pack the directory <arg> into <arg>.tar.gz"),
    intent("tar.create.to", "tar -caf <tarfile2> <dir>", f"{PACK}|create|make", "dir into gzip gz tarball as file called named", explain="pack <dir> into <tarfile2>"),
    intent("tar.create.from", "tar -caf <tarfile> <dir2>", f"{PACK}|create|make", "dir gzip gz tarball of containing file", explain="pack <dir2> into <tarfile>"),
    intent("tar.extract", "tar -xf <tarfile>[? -C <dest>?]", UNPACK, "archive file tarball into to tar", explain="unpack <tarfile>[? into <dest>?]"),
    intent("tar.list", "tar -tf <tarfile>", "list|show|view|content|see|inside|what", "archive file tarball of in tar contain listonly", avoid="extract",
           explain="list what <tarfile> contains"),
    intent("zip.create", "zip -r <base>.zip <dir>", "zip", "dir into archive compress create make a", explain="zip <dir> into <base>.zip"),
    # zip leaves the archive it writes out of itself, so the current directory can hold its own zip.
    intent("zip.create.here", 'zip -r "$(basename "$PWD").zip" <here>', "zip", "dir into archive compress create make a",
           fish='zip -r (basename "$PWD").zip <here>', explain="zip the current directory into a .zip named after it"),
    intent("zip.create.to", "zip -r <zipfile2> <dir>", "zip|compress|archive", "dir into create make as file called", explain="zip <dir> into <zipfile2>"),
    intent("zip.create.file", "zip <base>.zip <file>", "zip", "file into archive compress create make a", explain="zip <file> into <base>.zip"),
    intent("zip.extract", "unzip <zipfile>[? -d <dest>?]", UNPACK, "archive file zip into to", explain="unpack <zipfile>[? into <dest>?]"),
    intent("zip.list", "unzip -l <zipfile>", "list|show|view|content|see|inside|what", "archive file zip of in contain listonly", avoid="extract",
           explain="list what <zipfile> contains"),
    intent("gzip.compress", "gzip <file>", "compress|gzip|gz", "file with", avoid="keep preserve retain", explain="compress <file> to <file>.gz (replacing it)"),
    intent("gzip.compress.keep", "gzip -k <file>", "compress|gzip|gz keep|preserve|retain", "file with original", explain="compress <file> to <file>.gz, keeping the original"),
    intent("gzip.compress.glob", "find <dir> -name <glob> -exec gzip {} +", "compress|gzip|gz", "file all every under", defaults={"dir": "."},
           explain="gzip every <glob> file under <dir>"),
    intent("gzip.decompress", "gunzip <gzfile>", f"{UNPACK}|gunzip", "file gz", explain="decompress <gzfile>"),
    intent("gzip.view", "zcat <gzfile>", "show|view|read|print|display|cat|see|content", "file compressed without extracting decompress",
           avoid="extract", macos="gzcat <gzfile>", explain="print the decompressed contents of <gzfile>"),
    intent("bzip2.compress", "bzip2 <file>", "bzip2|bz2|bzip", "compress file with", explain="compress <file> with bzip2"),
    intent("bzip2.decompress", "bunzip2 <bz2file>", f"{UNPACK}|bunzip2", "file", explain="decompress <bz2file>"),
    intent("xz.compress", "xz <file>", "xz", "compress file with", explain="compress <file> with xz"),
    intent("xz.decompress", "unxz <xzfile>", f"{UNPACK}|unxz", "file", explain="decompress <xzfile>"),
]
