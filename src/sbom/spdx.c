/* SPDX: the license list and license expressions (shared with CycloneDX),
 * and the SPDX 2.3 JSON document writer.
 *
 * The id tables are the SPDX license list 3.29 as CycloneDX 1.6 ships it
 * (spdx.SNAPSHOT.schema.json, licenses then exceptions), sorted
 * case-insensitively for bsearch. test_writers checks them against that
 * file, so a list update is: regenerate, bump SPDX_LICENSE_LIST_VERSION. */
#define SBOM_WRITER_INTERNAL
#include "sbom/writer.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbom/purl.h"
#include "util/version.h"

static const char *const spdx_licenses[] = {
	"0BSD", "3D-Slicer-1.0", "AAL", "Abstyles", "AdaCore-doc", "Adobe-2006",
	"Adobe-Display-PostScript", "Adobe-Glyph", "Adobe-Utopia", "ADSL", "Advanced-Cryptics-Dictionary",
	"AFL-1.1", "AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0", "Afmparse", "AGPL-1.0", "AGPL-1.0-only",
	"AGPL-1.0-or-later", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Aladdin",
	"ALGLIB-Documentation", "AMD-newlib", "AMDPLPA", "AML", "AML-glslang", "AMPAS", "ANTLR-PD",
	"ANTLR-PD-fallback", "any-OSI", "any-OSI-perl-modules", "Apache-1.0", "Apache-1.1", "Apache-2.0",
	"APAFML", "APL-1.0", "App-s2p", "APSL-1.0", "APSL-1.1", "APSL-1.2", "APSL-2.0", "Arphic-1999",
	"Artistic-1.0", "Artistic-1.0-cl8", "Artistic-1.0-Perl", "Artistic-2.0", "Artistic-dist",
	"Aspell-RU", "ASWF-Digital-Assets-1.0", "ASWF-Digital-Assets-1.1", "atc-game", "Baekmuk",
	"Bahyph", "Barr", "bcrypt-Solar-Designer", "Beerware", "Bitstream-Charter", "Bitstream-Vera",
	"BitTorrent-1.0", "BitTorrent-1.1", "blessing", "BlueOak-1.0.0", "Boehm-GC",
	"Boehm-GC-without-fee", "BOLA-1.1", "Borceux", "Brian-Gladman-2-Clause", "Brian-Gladman-3-Clause",
	"Brian-Gladman-3-Clause-no-conversion", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Darwin",
	"BSD-2-Clause-first-lines", "BSD-2-Clause-FreeBSD", "BSD-2-Clause-NetBSD", "BSD-2-Clause-Patent",
	"BSD-2-Clause-pkgconf-disclaimer", "BSD-2-Clause-pos-unchanged", "BSD-2-Clause-Views",
	"BSD-3-Clause", "BSD-3-Clause-acpica", "BSD-3-Clause-Attribution", "BSD-3-Clause-Clear",
	"BSD-3-Clause-flex", "BSD-3-Clause-HP", "BSD-3-Clause-LBNL", "BSD-3-Clause-Modification",
	"BSD-3-Clause-No-Military-License", "BSD-3-Clause-No-Nuclear-License",
	"BSD-3-Clause-No-Nuclear-License-2014", "BSD-3-Clause-No-Nuclear-Warranty",
	"BSD-3-Clause-Open-MPI", "BSD-3-Clause-OpenWebUI", "BSD-3-Clause-Sun", "BSD-3-Clause-Tso",
	"BSD-4-Clause", "BSD-4-Clause-Shortened", "BSD-4-Clause-UC", "BSD-4.3RENO", "BSD-4.3TAHOE",
	"BSD-Advertising-Acknowledgement", "BSD-ask-to-endorse", "BSD-Attribution-HPND-disclaimer",
	"BSD-Inferno-Nettverk", "BSD-Mark-Modifications", "BSD-Protection", "BSD-Source-alt-GPL",
	"BSD-Source-beginning-file", "BSD-Source-Code", "BSD-Source-Code-no-disclaimer", "BSD-Systemics",
	"BSD-Systemics-W3Works", "BSL-1.0", "Buddy", "Bugroff", "BUSL-1.1", "bzip2-1.0.5", "bzip2-1.0.6",
	"C-UDA-1.0", "CAL-1.0", "CAL-1.0-Combined-Work-Exception", "Caldera", "Caldera-no-preamble",
	"CAPEC-tou", "Catharon", "CATOSL-1.1", "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-2.5-AU",
	"CC-BY-3.0", "CC-BY-3.0-AT", "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL",
	"CC-BY-3.0-US", "CC-BY-4.0", "CC-BY-NC-1.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0",
	"CC-BY-NC-3.0-DE", "CC-BY-NC-3.0-IGO", "CC-BY-NC-4.0", "CC-BY-NC-ND-1.0", "CC-BY-NC-ND-2.0",
	"CC-BY-NC-ND-2.5", "CC-BY-NC-ND-3.0", "CC-BY-NC-ND-3.0-DE", "CC-BY-NC-ND-3.0-IGO",
	"CC-BY-NC-ND-4.0", "CC-BY-NC-SA-1.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-2.0-DE",
	"CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK", "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0",
	"CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-4.0", "CC-BY-ND-1.0", "CC-BY-ND-2.0",
	"CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-3.0-DE", "CC-BY-ND-4.0", "CC-BY-SA-1.0", "CC-BY-SA-2.0",
	"CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-3.0-AT",
	"CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-IGO", "CC-BY-SA-4.0", "CC-PDDC", "CC-PDM-1.0", "CC-SA-1.0",
	"CC0-1.0", "CDDL-1.0", "CDDL-1.1", "CDL-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0",
	"CDLA-Sharing-1.0", "CECILL-1.0", "CECILL-1.1", "CECILL-2.0", "CECILL-2.1", "CECILL-B",
	"CECILL-C", "CERN-OHL-1.1", "CERN-OHL-1.2", "CERN-OHL-P-2.0", "CERN-OHL-S-2.0", "CERN-OHL-W-2.0",
	"CFITSIO", "check-cvs", "checkmk", "ClArtistic", "Clips", "CMU-Mach", "CMU-Mach-nodoc",
	"CNRI-Jython", "CNRI-Python", "CNRI-Python-GPL-Compatible", "COIL-1.0", "Community-Spec-1.0",
	"Condor-1.1", "copyleft-next-0.3.0", "copyleft-next-0.3.1", "Cornell-Lossless-JPEG", "CPAL-1.0",
	"CPL-1.0", "CPOL-1.02", "Cronyx", "Crossword", "CryptoSwift", "CrystalStacker", "CUA-OPL-1.0",
	"Cube", "curl", "cve-tou", "D-FSL-1.0", "DEC-3-Clause", "diffmark", "DL-DE-BY-2.0",
	"DL-DE-ZERO-2.0", "DOC", "DocBook-DTD", "DocBook-Schema", "DocBook-Stylesheet", "DocBook-XML",
	"Dotseqn", "DRL-1.0", "DRL-1.1", "DSDP", "dtoa", "dvipdfm", "ECL-1.0", "ECL-2.0", "eCos-2.0",
	"EFL-1.0", "EFL-2.0", "eGenix", "Elastic-2.0", "Entessa", "EPICS", "EPL-1.0", "EPL-2.0",
	"ErlPL-1.1", "ESA-PL-permissive-2.4", "ESA-PL-strong-copyleft-2.4", "ESA-PL-weak-copyleft-2.4",
	"etalab-2.0", "EUDatagrid", "EUPL-1.0", "EUPL-1.1", "EUPL-1.2", "Eurosym", "Fair", "FBM",
	"FDK-AAC", "FDK-MPEG-H", "Ferguson-Twofish", "Frameworx-1.0", "FreeBSD-DOC", "FreeImage", "FSFAP",
	"FSFAP-no-warranty-disclaimer", "FSFUL", "FSFULLR", "FSFULLRSD", "FSFULLRWD", "FSL-1.1-ALv2",
	"FSL-1.1-MIT", "FTL", "Furuseth", "fwlw", "Game-Programming-Gems", "GCR-docs", "GD",
	"generic-xts", "GFDL-1.1", "GFDL-1.1-invariants-only", "GFDL-1.1-invariants-or-later",
	"GFDL-1.1-no-invariants-only", "GFDL-1.1-no-invariants-or-later", "GFDL-1.1-only",
	"GFDL-1.1-or-later", "GFDL-1.2", "GFDL-1.2-invariants-only", "GFDL-1.2-invariants-or-later",
	"GFDL-1.2-no-invariants-only", "GFDL-1.2-no-invariants-or-later", "GFDL-1.2-only",
	"GFDL-1.2-or-later", "GFDL-1.3", "GFDL-1.3-invariants-only", "GFDL-1.3-invariants-or-later",
	"GFDL-1.3-no-invariants-only", "GFDL-1.3-no-invariants-or-later", "GFDL-1.3-only",
	"GFDL-1.3-or-later", "Giftware", "GL2PS", "Glide", "Glulxe", "GLWTPL", "gnuplot", "GPL-1.0",
	"GPL-1.0+", "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only",
	"GPL-2.0-or-later", "GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception",
	"GPL-2.0-with-classpath-exception", "GPL-2.0-with-font-exception", "GPL-2.0-with-GCC-exception",
	"GPL-3.0", "GPL-3.0+", "GPL-3.0-only", "GPL-3.0-or-later", "GPL-3.0-with-autoconf-exception",
	"GPL-3.0-with-GCC-exception", "Graphics-Gems", "gSOAP-1.3b", "gtkbook", "Gutmann",
	"HaskellReport", "HDF5", "hdparm", "HIDAPI", "Hippocratic-2.1", "Hippocratic-3.0-core", "HP-1986",
	"HP-1989", "HPND", "HPND-DEC", "HPND-doc", "HPND-doc-sell", "HPND-export-US",
	"HPND-export-US-acknowledgement", "HPND-export-US-modify", "HPND-export2-US",
	"HPND-Fenneberg-Livingston", "HPND-INRIA-IMAG", "HPND-Intel", "HPND-Kevlin-Henney",
	"HPND-Markus-Kuhn", "HPND-merchantability-variant", "HPND-MIT-disclaimer", "HPND-Netrek",
	"HPND-Pbmplus", "HPND-sell-MIT-disclaimer-xserver", "HPND-sell-regexpr", "HPND-sell-variant",
	"HPND-sell-variant-critical-systems", "HPND-sell-variant-MIT-disclaimer",
	"HPND-sell-variant-MIT-disclaimer-rev", "HPND-SMC", "HPND-UC", "HPND-UC-export-US", "HTMLTIDY",
	"hyphen-bulgarian", "IBM-pibs", "ICU", "IEC-Code-Components-EULA", "IJG", "IJG-short",
	"ImageMagick", "iMatix", "Imlib2", "Info-ZIP", "Informatica", "Inner-Net-2.0", "InnoSetup",
	"Intel", "Intel-ACPI", "Interbase-1.0", "IPA", "IPL-1.0", "ISC", "ISC-Veillard", "ISO-permission",
	"Jam", "JasPer-2.0", "jove", "JPL-image", "JPNIC", "JSON", "Kastrup", "Kazlib", "Knuth-CTAN",
	"LAL-1.2", "LAL-1.3", "Latex2e", "Latex2e-translated-notice", "Leptonica", "LGPL-2.0",
	"LGPL-2.0+", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+", "LGPL-2.1-only",
	"LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0+", "LGPL-3.0-only", "LGPL-3.0-or-later", "LGPLLR",
	"Libpng", "libpng-1.6.35", "libpng-2.0", "libselinux-1.0", "libtiff", "libutil-David-Nugent",
	"LiLiQ-P-1.1", "LiLiQ-R-1.1", "LiLiQ-Rplus-1.1", "Linux-man-pages-1-para",
	"Linux-man-pages-copyleft", "Linux-man-pages-copyleft-2-para", "Linux-man-pages-copyleft-var",
	"Linux-OpenIB", "LOOP", "LPD-document", "LPL-1.0", "LPL-1.02", "LPPL-1.0", "LPPL-1.1", "LPPL-1.2",
	"LPPL-1.3a", "LPPL-1.3c", "lsof", "Lucida-Bitmap-Fonts", "LZMA-SDK-9.11-to-9.20", "LZMA-SDK-9.22",
	"Mackerras-3-Clause", "Mackerras-3-Clause-acknowledgment", "magaz", "mailprio", "MakeIndex",
	"man2html", "Martin-Birgmeier", "McPhee-slideshow", "metamail", "Minpack", "MIPS", "MirOS", "MIT",
	"MIT-0", "MIT-advertising", "MIT-Click", "MIT-CMU", "MIT-enna", "MIT-feh", "MIT-Festival",
	"MIT-Khronos-old", "MIT-Modern-Variant", "MIT-open-group", "MIT-STK", "MIT-testregex", "MIT-Wu",
	"MITNFA", "MMIXware", "MMPL-1.0.1", "Motosoto", "MPEG-SSG", "mpi-permissive", "mpich2", "MPL-1.0",
	"MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception", "mplus", "MS-LPL", "MS-PL", "MS-RL",
	"MTLL", "MulanPSL-1.0", "MulanPSL-2.0", "Multics", "Mup", "MVT-1.1", "NAIST-2003", "NASA-1.3",
	"Naumen", "NBPL-1.0", "NCBI-PD", "NCGL-UK-2.0", "NCL", "NCSA", "Net-SNMP", "NetCDF", "Newsletr",
	"NGPL", "ngrep", "NICTA-1.0", "NIST-PD", "NIST-PD-fallback", "NIST-PD-TNT", "NIST-Software",
	"NLOD-1.0", "NLOD-2.0", "NLPL", "Nokia", "NOSL", "Noweb", "NPL-1.0", "NPL-1.1", "NPOSL-3.0",
	"NRL", "NTIA-PD", "NTP", "NTP-0", "Nunit", "O-UDA-1.0", "OAR", "OCCT-PL", "OCLC-2.0", "ODbL-1.0",
	"ODC-By-1.0", "OFFIS", "OFL-1.0", "OFL-1.0-no-RFN", "OFL-1.0-RFN", "OFL-1.1", "OFL-1.1-no-RFN",
	"OFL-1.1-RFN", "OGC-1.0", "OGDL-Taiwan-1.0", "OGL-Canada-2.0", "OGL-UK-1.0", "OGL-UK-2.0",
	"OGL-UK-3.0", "OGTSL", "OLDAP-1.1", "OLDAP-1.2", "OLDAP-1.3", "OLDAP-1.4", "OLDAP-2.0",
	"OLDAP-2.0.1", "OLDAP-2.1", "OLDAP-2.2", "OLDAP-2.2.1", "OLDAP-2.2.2", "OLDAP-2.3", "OLDAP-2.4",
	"OLDAP-2.5", "OLDAP-2.6", "OLDAP-2.7", "OLDAP-2.8", "OLFL-1.3", "OML", "OpenMDW-1.0",
	"OpenPBS-2.3", "OpenSSL", "OpenSSL-standalone", "OpenVision", "OPL-1.0", "OPL-UK-3.0",
	"OPUBL-1.0", "OSC-1.0", "OSET-PL-2.1", "OSL-1.0", "OSL-1.1", "OSL-2.0", "OSL-2.1", "OSL-3.0",
	"OSSP", "PADL", "ParaType-Free-Font-1.3", "Parity-6.0.0", "Parity-7.0.0", "PDDL-1.0", "PHP-3.0",
	"PHP-3.01", "Pixar", "pkgconf", "Plexus", "pnmstitch", "PolyForm-Noncommercial-1.0.0",
	"PolyForm-Small-Business-1.0.0", "PostgreSQL", "PPL", "PSF-2.0", "psfrag", "psutils",
	"Python-2.0", "Python-2.0.1", "python-ldap", "Qhull", "QPL-1.0", "QPL-1.0-INRIA-2004", "radvd",
	"Rdisc", "RHeCos-1.1", "RPL-1.1", "RPL-1.5", "RPSL-1.0", "RSA-MD", "RSCPL", "Ruby", "Ruby-pty",
	"SAX-PD", "SAX-PD-2.0", "Saxpath", "SCEA", "SchemeReport", "Sendmail", "Sendmail-8.23",
	"Sendmail-Open-Source-1.1", "SGI-B-1.0", "SGI-B-1.1", "SGI-B-2.0", "SGI-OpenGL", "SGMLUG-PM",
	"SGP4", "SHL-0.5", "SHL-0.51", "SimPL-2.0", "SISSL", "SISSL-1.2", "SL", "Sleepycat", "SMAIL-GPL",
	"SMLNJ", "SMPPL", "SNIA", "snprintf", "SOFA", "softSurfer", "Soundex", "Spencer-86", "Spencer-94",
	"Spencer-99", "SPL-1.0", "ssh-keyscan", "SSH-OpenSSH", "SSH-short", "SSLeay-standalone",
	"SSPL-1.0", "StandardML-NJ", "SugarCRM-1.1.3", "SUL-1.0", "Sun-PPP", "Sun-PPP-2000", "SunPro",
	"SWL", "swrule", "Symlinks", "TAPR-OHL-1.0", "TCL", "TCP-wrappers", "TekHVC", "TermReadKey",
	"TGPPL-1.0", "ThirdEye", "threeparttable", "TMate", "TORQUE-1.1", "TOSL", "TPDL", "TPL-1.0",
	"TrustedQSL", "TTWL", "TTYP0", "TU-Berlin-1.0", "TU-Berlin-2.0", "Ubuntu-font-1.0", "UCAR",
	"UCL-1.0", "ulem", "UMich-Merit", "Unicode-3.0", "Unicode-DFS-2015", "Unicode-DFS-2016",
	"Unicode-TOU", "UnixCrypt", "Unlicense", "Unlicense-libtelnet", "Unlicense-libwhirlpool", "UnRAR",
	"UPL-1.0", "URT-RLE", "Vim", "Vixie-Cron", "VOSTROM", "VSL-1.0", "W3C", "W3C-19980720",
	"W3C-20150513", "w3m", "Watcom-1.0", "Widget-Workshop", "WordNet", "Wsuipa", "WTFNMFPL", "WTFPL",
	"wwl", "wxWindows", "X11", "X11-distribute-modifications-variant", "X11-no-permit-persons",
	"X11-swapped", "Xdebug-1.03", "Xerox", "Xfig", "XFree86-1.1", "xinetd",
	"xkeyboard-config-Zinoviev", "xlock", "Xnet", "xpp", "XSkat", "xzoom", "YPL-1.0", "YPL-1.1",
	"Zed", "Zeeff", "Zend-2.0", "Zimbra-1.3", "Zimbra-1.4", "Zlib", "zlib-acknowledgement", "ZPL-1.1",
	"ZPL-2.0", "ZPL-2.1",
};

static const char *const spdx_exceptions[] = {
	"389-exception", "Asterisk-exception", "Asterisk-linking-protocols-exception",
	"Autoconf-exception-2.0", "Autoconf-exception-3.0", "Autoconf-exception-generic",
	"Autoconf-exception-generic-3.0", "Autoconf-exception-macro", "Bison-exception-1.24",
	"Bison-exception-2.2", "Bootloader-exception", "CGAL-linking-exception",
	"Classpath-exception-2.0", "Classpath-exception-2.0-short", "CLISP-exception-2.0",
	"cryptsetup-OpenSSL-exception", "Digia-Qt-LGPL-exception-1.1", "DigiRule-FOSS-exception",
	"eCos-exception-2.0", "erlang-otp-linking-exception", "Fawkes-Runtime-exception",
	"FLTK-exception", "fmt-exception", "Font-exception-2.0", "freertos-exception-2.0",
	"GCC-exception-2.0", "GCC-exception-2.0-note", "GCC-exception-3.1", "Gmsh-exception",
	"GNAT-exception", "GNOME-examples-exception", "GNU-compiler-exception", "gnu-javamail-exception",
	"Google-Patent-WebM", "GPL-3.0-389-ds-base-exception", "GPL-3.0-interface-exception",
	"GPL-3.0-linking-exception", "GPL-3.0-linking-source-exception", "GPL-CC-1.0",
	"GStreamer-exception-2005", "GStreamer-exception-2008", "harbour-exception",
	"i2p-gpl-java-exception", "Independent-modules-exception", "KiCad-libraries-exception",
	"kvirc-openssl-exception", "LGPL-3.0-linking-exception", "libpri-OpenH323-exception",
	"Libtool-exception", "Linux-syscall-note", "LLGPL", "LLVM-exception", "LZMA-exception",
	"mif-exception", "mxml-exception", "Nokia-Qt-exception-1.1", "OCaml-LGPL-linking-exception",
	"OCCT-exception-1.0", "OpenJDK-assembly-exception-1.0", "openvpn-openssl-exception",
	"PCRE2-exception", "polyparse-exception", "PS-or-PDF-font-exception-20170817",
	"QPL-1.0-INRIA-2004-exception", "Qt-GPL-exception-1.0", "Qt-LGPL-exception-1.1",
	"Qwt-exception-1.0", "romic-exception", "RRDtool-FLOSS-exception-2.0", "rsync-linking-exception",
	"SANE-exception", "SHL-2.0", "SHL-2.1", "Simple-Library-Usage-exception",
	"Spelling-Provider-LGPL-exception", "sqlitestudio-OpenSSL-exception", "stunnel-exception",
	"SWI-exception", "Swift-exception", "Texinfo-exception", "u-boot-exception-2.0", "UBDL-exception",
	"Universal-FOSS-exception-1.0", "vsftpd-openssl-exception", "WxWindows-exception-3.1",
	"x11vnc-openssl-exception",
};

struct id_key {
	const char *s;
	size_t n;
};

static int cmp_id(const void *k, const void *e)
{
	const struct id_key *key = k;
	const char *id = *(const char *const *)e;
	int c = strncasecmp(key->s, id, key->n);
	if (c)
		return c;
	return id[key->n] ? -1 : 0;
}

static const char *lookup(const char *const *table, size_t n, const char *s, size_t len)
{
	struct id_key k = { s, len };
	const char *const *hit = bsearch(&k, table, n, sizeof *table, cmp_id);
	return hit ? *hit : NULL;
}

#define COUNT(t) (sizeof t / sizeof *t)

const char *spdx_license_id(const char *s, size_t n) { return lookup(spdx_licenses, COUNT(spdx_licenses), s, n); }
const char *spdx_exception_id(const char *s, size_t n) { return lookup(spdx_exceptions, COUNT(spdx_exceptions), s, n); }
size_t spdx_list_size(void) { return COUNT(spdx_licenses) + COUNT(spdx_exceptions); }

/* ---- license expressions (SPDX 2.3 annex D) ------------------------------------ */

enum tok_kind { TOK_END, TOK_LPAREN, TOK_RPAREN, TOK_AND, TOK_OR, TOK_WITH, TOK_WORD };

struct lexer {
	const char *p;
	enum tok_kind kind;
	const char *s; /* the token's text */
	size_t n;
	bool compound; /* saw an operator, a paren or a "+" suffix */
};

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void next_token(struct lexer *lx)
{
	while (is_ws(*lx->p))
		lx->p++;
	lx->s = lx->p;
	if (!*lx->p) {
		lx->kind = TOK_END;
		lx->n = 0;
		return;
	}
	if (*lx->p == '(' || *lx->p == ')') {
		lx->kind = *lx->p == '(' ? TOK_LPAREN : TOK_RPAREN;
		lx->n = 1;
		lx->p++;
		lx->compound = true;
		return;
	}
	while (*lx->p && !is_ws(*lx->p) && *lx->p != '(' && *lx->p != ')')
		lx->p++;
	lx->n = (size_t)(lx->p - lx->s);
	lx->kind = TOK_WORD;
	/* Operators are matched case-sensitively: "and" is not AND. */
	if (lx->n == 3 && memcmp(lx->s, "AND", 3) == 0)
		lx->kind = TOK_AND;
	else if (lx->n == 2 && memcmp(lx->s, "OR", 2) == 0)
		lx->kind = TOK_OR;
	else if (lx->n == 4 && memcmp(lx->s, "WITH", 4) == 0)
		lx->kind = TOK_WITH;
	if (lx->kind != TOK_WORD)
		lx->compound = true;
}

/* license-id or license-id"+"; LicenseRef- is refused (see writer.h). */
static int parse_license(struct lexer *lx, struct buf *out)
{
	if (lx->kind != TOK_WORD)
		return BOSUN_EFORMAT;
	const char *id = spdx_license_id(lx->s, lx->n);
	bool plus = false;
	if (!id && lx->n > 1 && lx->s[lx->n - 1] == '+') {
		id = spdx_license_id(lx->s, lx->n - 1);
		plus = true;
	}
	if (!id)
		return BOSUN_EFORMAT;
	TRY(buf_append_str(out, id));
	if (plus) {
		lx->compound = true;
		TRY(buf_append(out, "+", 1));
	}
	next_token(lx);
	return BOSUN_OK;
}

static int parse_or(struct lexer *lx, struct buf *out, int depth);

/* "(" expression ")" | license [WITH exception] */
static int parse_term(struct lexer *lx, struct buf *out, int depth)
{
	if (lx->kind == TOK_LPAREN) {
		if (depth > 32)
			return BOSUN_EFORMAT;
		TRY(buf_append(out, "(", 1));
		next_token(lx);
		TRY(parse_or(lx, out, depth + 1));
		if (lx->kind != TOK_RPAREN)
			return BOSUN_EFORMAT;
		TRY(buf_append(out, ")", 1));
		next_token(lx);
		return BOSUN_OK;
	}
	TRY(parse_license(lx, out));
	if (lx->kind != TOK_WITH)
		return BOSUN_OK;
	next_token(lx);
	const char *exc = lx->kind == TOK_WORD ? spdx_exception_id(lx->s, lx->n) : NULL;
	if (!exc)
		return BOSUN_EFORMAT;
	TRY(buf_append_str(out, " WITH "));
	TRY(buf_append_str(out, exc));
	next_token(lx);
	return BOSUN_OK;
}

/* AND binds tighter than OR. */
static int parse_and(struct lexer *lx, struct buf *out, int depth)
{
	TRY(parse_term(lx, out, depth));
	while (lx->kind == TOK_AND) {
		TRY(buf_append_str(out, " AND "));
		next_token(lx);
		TRY(parse_term(lx, out, depth));
	}
	return BOSUN_OK;
}

static int parse_or(struct lexer *lx, struct buf *out, int depth)
{
	TRY(parse_and(lx, out, depth));
	while (lx->kind == TOK_OR) {
		TRY(buf_append_str(out, " OR "));
		next_token(lx);
		TRY(parse_and(lx, out, depth));
	}
	return BOSUN_OK;
}

static int parse_expression(const char *s, struct buf *out, bool *compound)
{
	struct lexer lx = { .p = s };
	next_token(&lx);
	TRY(parse_or(&lx, out, 0));
	*compound = lx.compound;
	return lx.kind == TOK_END ? BOSUN_OK : BOSUN_EFORMAT;
}

int spdx_license_classify(struct arena *ar, const char *raw, struct spdx_license *out)
{
	struct slice t = slice_trim(slice_cstr(raw));
	*out = (struct spdx_license){ SPDX_LICENSE_NONE, NULL };
	if (t.n == 0)
		return BOSUN_OK;
	char *text = arena_slice(ar, t);
	if (!text)
		return BOSUN_ENOMEM;
	struct buf b = { 0 };
	bool compound = false;
	/* Real expressions are short; a long string is prose, not worth parsing. */
	int rc = t.n <= 4096 ? parse_expression(text, &b, &compound) : BOSUN_EFORMAT;
	if (rc == BOSUN_OK) {
		out->kind = compound ? SPDX_LICENSE_EXPRESSION : SPDX_LICENSE_ID;
		out->value = arena_strndup(ar, b.data, b.len);
		rc = out->value ? BOSUN_OK : BOSUN_ENOMEM;
	} else if (rc == BOSUN_EFORMAT) {
		out->kind = SPDX_LICENSE_TEXT;
		out->value = text;
		rc = BOSUN_OK;
	}
	buf_free(&b);
	return rc;
}

/* ---- the SPDX 2.3 document ------------------------------------------------------ */

struct spdx_doc {
	const struct sbom_ctx *c;
	struct sbom_idset ids;  /* SPDXIDs */
	json_t *packages, *relationships;
	json_t *extracted;      /* hasExtractedLicensingInfos */
	json_t *license_refs;   /* LicenseRef id -> text, to reuse and detect clashes */
	const char *root_id, *os_id;
};

/* SPDX idstrings allow only [A-Za-z0-9.-]: everything else becomes '-',
 * runs collapse, and the result is cut to max characters. */
static char *idstring(struct arena *ar, const char *s, size_t max)
{
	char *out = arena_alloc(ar, max + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && n < max; p++) {
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			  *p == '.' || *p == '-';
		if (ok)
			out[n++] = (char)*p;
		else if (n > 0 && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return out;
}

static const char *claim_id(struct spdx_doc *d, const char *base)
{
	return base ? sbom_idset_claim(&d->ids, d->c->ar, base, "-") : NULL;
}

/* "Name <mail>" (dpkg, apk) -> "Organization: Name (mail)", the SPDX agent
 * syntax; newlines are folded so the value stays one line. */
static char *spdx_supplier(struct arena *ar, const char *who)
{
	if (!who || !who[0])
		return NULL;
	char *s = arena_printf(ar, "Organization: %s", who);
	for (char *p = s; p && *p; p++) {
		if (*p == '<')
			*p = '(';
		else if (*p == '>')
			*p = ')';
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	return s;
}

/* Free text goes into a LicenseRef with the text as extractedText, so no
 * information is lost and licenseDeclared stays a valid expression. The id
 * is derived from the text, so it is stable across scans. */
static int add_extracted(struct spdx_doc *d, const char *id, const char *text)
{
	json_t *info = json_object();
	if (!info || json_array_append_new(d->extracted, info) != 0)
		return BOSUN_ENOMEM;
	TRY(sbom_jset_str(info, "licenseId", id));
	TRY(sbom_jset_str(info, "extractedText", text));
	TRY(sbom_jset_str(info, "name", text));
	return sbom_jset_str(d->license_refs, id, text);
}

static const char *license_ref(struct spdx_doc *d, const char *raw)
{
	struct arena *ar = d->c->ar;
	json_t *utf8 = sbom_jstr(raw); /* compare what is written, not the raw bytes */
	const char *text = utf8 ? arena_strdup(ar, json_string_value(utf8)) : NULL;
	json_decref(utf8);
	char *readable = text ? idstring(ar, text, 40) : NULL;
	const char *base = readable ? arena_printf(ar, "LicenseRef-%s%s%08x", readable,
						   readable[0] ? "-" : "", sbom_hash32(text))
				    : NULL;
	for (unsigned k = 1; base && k < 100; k++) {
		const char *id = k == 1 ? base : arena_printf(ar, "%s-%u", base, k);
		if (!id)
			return NULL;
		json_t *known = json_object_get(d->license_refs, id);
		if (!known)
			return add_extracted(d, id, text) == BOSUN_OK ? id : NULL;
		if (strcmp(json_string_value(known), text) == 0)
			return id;
	}
	return NULL;
}

static int set_license_declared(struct spdx_doc *d, json_t *pkg, const char *raw)
{
	struct spdx_license l;
	TRY(spdx_license_classify(d->c->ar, raw, &l));
	const char *v = "NOASSERTION";
	if (l.kind == SPDX_LICENSE_ID || l.kind == SPDX_LICENSE_EXPRESSION)
		v = l.value;
	else if (l.kind == SPDX_LICENSE_TEXT && !(v = license_ref(d, l.value)))
		return BOSUN_ENOMEM;
	TRY(sbom_jset_str(pkg, "licenseConcluded", "NOASSERTION"));
	return sbom_jset_str(pkg, "licenseDeclared", v);
}

/* bosun-specific data as SPDX annotations, "name=value", as Trivy does. */
static int set_annotations(struct spdx_doc *d, json_t *obj, const struct sbom_props *ps)
{
	if (ps->n == 0)
		return BOSUN_OK;
	json_t *arr = json_array();
	TRY(sbom_jset(obj, "annotations", arr));
	for (size_t i = 0; i < ps->n; i++) {
		json_t *an = json_object();
		TRY(sbom_jappend(arr, an));
		TRY(sbom_jset_str(an, "annotationDate", d->c->created));
		TRY(sbom_jset_str(an, "annotationType", "OTHER"));
		TRY(sbom_jset_str(an, "annotator", "Tool: bosun-" BOSUN_VERSION));
		const char *comment = arena_printf(d->c->ar, "%s=%s", ps->v[i].name, ps->v[i].value);
		if (!comment)
			return BOSUN_ENOMEM;
		TRY(sbom_jset_str(an, "comment", comment));
	}
	return BOSUN_OK;
}

static int relate(struct spdx_doc *d, const char *from, const char *type, const char *to)
{
	json_t *r = json_object();
	TRY(sbom_jappend(d->relationships, r));
	TRY(sbom_jset_str(r, "spdxElementId", from));
	TRY(sbom_jset_str(r, "relationshipType", type));
	return sbom_jset_str(r, "relatedSpdxElement", to);
}

/* A package element with the fields every one of ours has. */
static int new_package(struct spdx_doc *d, const char *id, const char *name, json_t **out)
{
	json_t *pkg = json_object();
	TRY(sbom_jappend(d->packages, pkg));
	TRY(sbom_jset_str(pkg, "name", name));
	TRY(sbom_jset_str(pkg, "SPDXID", id));
	TRY(sbom_jset_str(pkg, "downloadLocation", "NOASSERTION"));
	TRY(sbom_jset(pkg, "filesAnalyzed", json_false()));
	*out = pkg;
	return BOSUN_OK;
}

static int with_props(struct spdx_doc *d, json_t *obj, int rc, struct sbom_props *ps)
{
	if (rc == BOSUN_OK)
		rc = set_annotations(d, obj, ps);
	sbom_props_free(ps);
	return rc;
}

static int add_root(struct spdx_doc *d)
{
	const struct sbom_ctx *c = d->c;
	const char *name = sbom_target_name(c);
	char *short_name = idstring(c->ar, name, 64);
	d->root_id = short_name ? claim_id(d, arena_printf(c->ar, "SPDXRef-DocumentRoot-%s%s%s",
						c->is_image ? "Image" : "Directory",
						short_name[0] ? "-" : "", short_name))
				: NULL;
	if (!d->root_id)
		return BOSUN_ENOMEM;
	json_t *pkg;
	TRY(new_package(d, d->root_id, name, &pkg));
	if (c->is_image)
		TRY(sbom_jset_str(pkg, "primaryPackagePurpose", "CONTAINER"));
	TRY(sbom_jset_str(pkg, "licenseConcluded", "NOASSERTION"));
	TRY(sbom_jset_str(pkg, "licenseDeclared", "NOASSERTION"));
	struct sbom_props ps = { 0 };
	return with_props(d, pkg, sbom_target_props(c, &ps), &ps);
}

static int add_os(struct spdx_doc *d)
{
	const struct sbom_ctx *c = d->c;
	const struct os_info *os = &c->a->os;
	if (!os->found || !os->id)
		return BOSUN_OK;
	char *tag = idstring(c->ar, arena_printf(c->ar, "%s-%s", os->id, os->version_id ? os->version_id : ""), 64);
	d->os_id = tag ? claim_id(d, arena_printf(c->ar, "SPDXRef-OperatingSystem-%s", tag)) : NULL;
	if (!d->os_id)
		return BOSUN_ENOMEM;
	json_t *pkg;
	TRY(new_package(d, d->os_id, os->id, &pkg));
	TRY(sbom_jset_opt(pkg, "versionInfo", os->version_id));
	TRY(sbom_jset_opt(pkg, "description", os->pretty_name));
	TRY(sbom_jset_str(pkg, "primaryPackagePurpose", "OPERATING_SYSTEM"));
	TRY(sbom_jset_str(pkg, "licenseConcluded", "NOASSERTION"));
	TRY(sbom_jset_str(pkg, "licenseDeclared", "NOASSERTION"));
	TRY(relate(d, d->root_id, "CONTAINS", d->os_id));
	struct sbom_props ps = { 0 };
	return with_props(d, pkg, sbom_os_props(c, &ps), &ps);
}

static int set_purl_ref(json_t *pkg, const char *purl)
{
	if (!purl)
		return BOSUN_ENOMEM;
	json_t *refs = json_array();
	TRY(sbom_jset(pkg, "externalRefs", refs));
	json_t *ref = json_object();
	TRY(sbom_jappend(refs, ref));
	TRY(sbom_jset_str(ref, "referenceCategory", "PACKAGE-MANAGER"));
	TRY(sbom_jset_str(ref, "referenceType", "purl"));
	return sbom_jset_str(ref, "referenceLocator", purl);
}

static int source_info(const struct sbom_ctx *c, json_t *pkg, const struct package *p)
{
	if (!p->source_name || !p->source_name[0])
		return BOSUN_OK;
	const char *v = p->source_version && p->source_version[0] ? p->source_version : NULL;
	char *s = arena_printf(c->ar, "built package from: %s%s%s", p->source_name, v ? " " : "", v ? v : "");
	return s ? sbom_jset_str(pkg, "sourceInfo", s) : BOSUN_ENOMEM;
}

static int add_package(struct spdx_doc *d, const struct package *p)
{
	const struct sbom_ctx *c = d->c;
	const char *purl = sbom_pkg_purl(c, p);
	char *name = idstring(c->ar, p->name, 64);
	char *key = purl ? arena_printf(c->ar, "%s\n%s", purl, p->found_in ? p->found_in : "") : NULL;
	const char *id = name && key ? claim_id(d, arena_printf(c->ar, "SPDXRef-Package-%s-%s-%08x",
				pkg_type_name(p->type), name, sbom_hash32(key)))
				     : NULL;
	if (!id)
		return BOSUN_ENOMEM;
	json_t *pkg;
	TRY(new_package(d, id, p->name ? p->name : "", &pkg));
	TRY(sbom_jset_opt(pkg, "versionInfo", p->version));
	char *supplier = spdx_supplier(c->ar, p->vendor && p->vendor[0] ? p->vendor : p->maintainer);
	TRY(sbom_jset_str(pkg, "supplier", supplier ? supplier : "NOASSERTION"));
	TRY(source_info(c, pkg, p));
	TRY(set_license_declared(d, pkg, p->license));
	TRY(set_purl_ref(pkg, purl));
	bool in_os = d->os_id && purl_os_applies(p, &c->a->os);
	TRY(relate(d, in_os ? d->os_id : d->root_id, "CONTAINS", id));
	struct sbom_props ps = { 0 };
	return with_props(d, pkg, sbom_pkg_props(c, p, &ps), &ps);
}

static int document_header(const struct sbom_ctx *c, json_t *doc)
{
	TRY(sbom_jset_str(doc, "spdxVersion", "SPDX-2.3"));
	TRY(sbom_jset_str(doc, "dataLicense", "CC0-1.0"));
	TRY(sbom_jset_str(doc, "SPDXID", "SPDXRef-DOCUMENT"));
	TRY(sbom_jset_str(doc, "name", sbom_target_name(c)));
	/* No bosun web site to put in a URL: a urn:uuid is an absolute URI
	 * that is unique by construction. */
	char *ns = arena_printf(c->ar, "urn:uuid:%s", c->uuid);
	TRY(sbom_jset_str(doc, "documentNamespace", ns));
	json_t *ci = json_object();
	TRY(sbom_jset(doc, "creationInfo", ci));
	TRY(sbom_jset_str(ci, "created", c->created));
	json_t *creators = json_array();
	TRY(sbom_jset(ci, "creators", creators));
	TRY(sbom_jappend(creators, json_string("Tool: bosun-" BOSUN_VERSION)));
	return sbom_jset_str(ci, "licenseListVersion", SPDX_LICENSE_LIST_VERSION);
}

static int build_document(struct spdx_doc *d, json_t *doc)
{
	TRY(document_header(d->c, doc));
	TRY(sbom_jset(doc, "packages", json_incref(d->packages)));
	TRY(add_root(d));
	TRY(relate(d, "SPDXRef-DOCUMENT", "DESCRIBES", d->root_id));
	TRY(add_os(d));
	for (size_t i = 0; i < d->c->a->npkgs; i++)
		TRY(add_package(d, &d->c->a->pkgs[i]));
	if (json_array_size(d->extracted) > 0)
		TRY(sbom_jset(doc, "hasExtractedLicensingInfos", json_incref(d->extracted)));
	return sbom_jset(doc, "relationships", json_incref(d->relationships));
}

int sbom_write_spdx(const struct sbom_ctx *c, FILE *out, struct berr *e)
{
	struct spdx_doc d = {
		.c = c,
		.packages = json_array(),
		.relationships = json_array(),
		.extracted = json_array(),
		.license_refs = json_object(),
	};
	json_t *doc = json_object();
	int rc = BOSUN_ENOMEM;
	if (doc && d.packages && d.relationships && d.extracted && d.license_refs)
		rc = build_document(&d, doc);
	if (rc == BOSUN_OK)
		rc = sbom_jdump(doc, out, e);
	else
		rc = berr_set(e, rc, "building SPDX document: %s", bosun_strerror(rc));
	json_decref(doc);
	json_decref(d.packages);
	json_decref(d.relationships);
	json_decref(d.extracted);
	json_decref(d.license_refs);
	sbom_idset_free(&d.ids);
	return rc;
}
