/* .NET: *.deps.json as `dotnet publish` writes it (runtime target,
 * compile-only packages, projects, runtime packs) and NuGet's
 * packages.lock.json (versions 1 and 2, several frameworks, Direct /
 * Transitive / CentralTransitive / Project), malformed input, and the
 * analyzer on trees. */
#include "langtest.h"

#include "analyze/dotnet.h"
#include "util/log.h"

static const char deps_json[] =
	"{\n  \"runtimeTarget\": {\"name\": \".NETCoreApp,Version=v6.0/linux-x64\", \"signature\": \"\"},\n"
	"  \"compilationOptions\": {},\n"
	"  \"targets\": {\n"
	"    \".NETCoreApp,Version=v6.0\": {},\n"
	"    \".NETCoreApp,Version=v6.0/linux-x64\": {\n"
	"      \"MyApp/1.0.0\": {\"dependencies\": {\"Newtonsoft.Json\": \"13.0.1\"},\n"
	"                        \"runtime\": {\"MyApp.dll\": {}}},\n"
	"      \"Newtonsoft.Json/13.0.1\": {\"runtime\": {\"lib/netstandard2.0/Newtonsoft.Json.dll\":\n"
	"                                   {\"assemblyVersion\": \"13.0.0.0\", \"fileVersion\": \"13.0.1.25517\"}}},\n"
	"      \"System.Text.Encodings.Web/4.5.0\": {\"runtimeTargets\": {\"runtimes/browser/lib/x.dll\": "
	"{\"rid\": \"browser\", \"assetType\": \"runtime\"}}},\n"
	"      \"SQLitePCLRaw.lib.e_sqlite3/2.1.2\": {\"native\": {\"runtimes/linux-x64/native/libe_sqlite3.so\": {}}},\n"
	"      \"Microsoft.CodeAnalysis.Analyzers/3.3.3\": {},\n"
	"      \"Humanizer.Core.de/2.14.1\": {\"resources\": {\"lib/netstandard2.0/de/Humanizer.resources.dll\": "
	"{\"locale\": \"de\"}}}\n"
	"    }\n  },\n"
	"  \"libraries\": {\n"
	"    \"MyApp/1.0.0\": {\"type\": \"project\", \"serviceable\": false, \"sha512\": \"\"},\n"
	"    \"Newtonsoft.Json/13.0.1\": {\"type\": \"package\", \"serviceable\": true, \"sha512\": \"sha512-x\",\n"
	"                               \"path\": \"newtonsoft.json/13.0.1\", \"hashPath\": \"x\"},\n"
	"    \"System.Text.Encodings.Web/4.5.0\": {\"type\": \"package\"},\n"
	"    \"SQLitePCLRaw.lib.e_sqlite3/2.1.2\": {\"type\": \"package\"},\n"
	"    \"Humanizer.Core.de/2.14.1\": {\"type\": \"package\"},\n"
	"    \"Microsoft.CodeAnalysis.Analyzers/3.3.3\": {\"type\": \"package\"},\n"
	"    \"NotInTarget/1.0.0\": {\"type\": \"package\"},\n"
	"    \"Microsoft.NETCore.App.Runtime.linux-x64/6.0.5\": {\"type\": \"runtimepack\"},\n"
	"    \"BadKey\": {\"type\": \"package\"}\n"
	"  }\n}\n";

static void test_deps_json(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(dotnet_parse_deps_json(deps_json, sizeof deps_json - 1, "app/MyApp.deps.json", &a), BOSUN_OK);
	lt_must(&a, PKG_NUGET, "Newtonsoft.Json", "13.0.1");
	lt_must(&a, PKG_NUGET, "System.Text.Encodings.Web", "4.5.0");
	lt_must(&a, PKG_NUGET, "SQLitePCLRaw.lib.e_sqlite3", "2.1.2");
	lt_must(&a, PKG_NUGET, "Humanizer.Core.de", "2.14.1");
	/* Analyzers run in the compiler, NotInTarget is not loaded, MyApp is
	 * the application, the runtime pack is .NET itself. */
	assert_int_equal(a.npkgs, 4);
	assert_string_equal(a.pkgs[0].found_in, "app/MyApp.deps.json");
	assert_null(a.pkgs[0].relationship);
	artifact_free(&a);

	/* Without a runtime target description every package counts. */
	static const char bare[] = "{\"libraries\": {\"A/1.0\": {\"type\": \"package\"}, \"B/2.0\": {\"type\": \"package\"},"
				   " \"BadKey\": {\"type\": \"package\"}, \"/1.0\": {\"type\": \"package\"}}}";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(dotnet_parse_deps_json(bare, sizeof bare - 1, "x.deps.json", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 2);
	assert_true(lt_warned(&a, "BadKey"));
	assert_true(lt_warned(&a, "no usable name"));
	assert_int_equal(dotnet_parse_deps_json("{", strlen("{"), "x.deps.json", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "invalid JSON"));
	assert_int_equal(dotnet_parse_deps_json("{\"libraries\": [1, 2]}", strlen("{\"libraries\": [1, 2]}"), "x.deps.json", &a), BOSUN_OK);
	assert_int_equal(dotnet_parse_deps_json(NULL, 0, "x.deps.json", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 2);
	artifact_free(&a);
}

static const char lock_v1[] =
	"{\n  \"version\": 1,\n  \"dependencies\": {\n"
	"    \"net6.0\": {\n"
	"      \"Newtonsoft.Json\": {\"type\": \"Direct\", \"requested\": \"[13.0.1, )\", \"resolved\": \"13.0.1\",\n"
	"                          \"contentHash\": \"ppPF\"},\n"
	"      \"Serilog\": {\"type\": \"Transitive\", \"resolved\": \"2.10.0\", \"contentHash\": \"x\"},\n"
	"      \"MyLib\": {\"type\": \"Project\", \"dependencies\": {\"Serilog\": \"[2.10.0, )\"}}\n"
	"    },\n"
	"    \"net7.0\": {\n"
	"      \"Newtonsoft.Json\": {\"type\": \"Transitive\", \"resolved\": \"13.0.1\"},\n"
	"      \"Serilog\": {\"type\": \"Direct\", \"requested\": \"[2.10.0, )\", \"resolved\": \"2.10.0\"},\n"
	"      \"System.Memory\": {\"type\": \"CentralTransitive\", \"requested\": \"[4.5.5, )\", \"resolved\": \"4.5.5\"},\n"
	"      \"Broken\": {\"type\": \"Direct\"},\n"
	"      \"Weird\": 7\n"
	"    },\n"
	"    \"net7.0/linux-x64\": {\n"
	"      \"runtime.native.System\": {\"type\": \"Transitive\", \"resolved\": \"4.3.0\"}\n"
	"    }\n  }\n}\n";

static void test_packages_lock(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(dotnet_parse_packages_lock(lock_v1, sizeof lock_v1 - 1, "src/packages.lock.json", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 4);
	/* Direct in any framework is direct. */
	assert_string_equal(lt_must(&a, PKG_NUGET, "Newtonsoft.Json", "13.0.1")->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_NUGET, "Serilog", "2.10.0")->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_NUGET, "System.Memory", "4.5.5")->relationship, "indirect");
	assert_string_equal(lt_must(&a, PKG_NUGET, "runtime.native.System", "4.3.0")->relationship, "indirect");
	assert_null(lt_find(&a, PKG_NUGET, "MyLib", NULL));
	assert_string_equal(a.pkgs[0].found_in, "src/packages.lock.json");
	artifact_free(&a);
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(dotnet_parse_packages_lock("[]", strlen("[]"), "packages.lock.json", &a), BOSUN_OK);
	assert_int_equal(dotnet_parse_packages_lock("{\"dependencies\": {\"x\": [1]}}", strlen("{\"dependencies\": {\"x\": [1]}}"), "packages.lock.json", &a),
			 BOSUN_OK);
	assert_int_equal(dotnet_parse_packages_lock("nope", strlen("nope"), "packages.lock.json", &a), BOSUN_OK);
	assert_true(lt_warned(&a, "invalid JSON"));
	assert_int_equal(a.npkgs, 0);
	artifact_free(&a);
}

static void test_trees(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	lt_write(dir, "app/MyApp.deps.json", deps_json);
	lt_write(dir, "src/MyApp/packages.lock.json", lock_v1);
	/* A file called just ".deps.json" names no application. */
	lt_write(dir, "app/.deps.json", "{\"libraries\": {\"Ghost/1.0\": {\"type\": \"package\"}}}");
	struct artifact a;
	/* Both files in either kind of target (Trivy reads NuGet's lock in
	 * images too). */
	for (int k = 0; k < 2; k++) {
		lt_scan(k ? "fs" : "rootfs", dir, &a);
		assert_int_equal(lt_count(&a, PKG_NUGET), 4 + 4);
		const struct package *p = lt_must(&a, PKG_NUGET, "SQLitePCLRaw.lib.e_sqlite3", "2.1.2");
		assert_string_equal(p->purl, "pkg:nuget/SQLitePCLRaw.lib.e_sqlite3@2.1.2");
		assert_string_equal(p->found_in, "app/MyApp.deps.json");
		assert_int_equal(p->layer, 0);
		p = lt_must(&a, PKG_NUGET, "System.Memory", "4.5.5");
		assert_string_equal(p->found_in, "src/MyApp/packages.lock.json");
		artifact_free(&a);
	}
	lt_rmrf(dir);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deps_json),
		cmocka_unit_test(test_packages_lock),
		cmocka_unit_test(test_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
