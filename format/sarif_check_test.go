package format_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// The SARIF 2.1.0 schema's rules for the objects cqltrack writes, written
// out from the schema (sarif-schema-2.1.0.json, OASIS errata 01): for each
// object, the members it may have (every one of these objects has
// additionalProperties: false), the members it must have, and the object
// kind of each member that is itself a schema object or an array of them.
// checkSARIF walks a log with them, and adds what GitHub code scanning
// requires on top of the schema.

type sarifObject struct {
	allowed  []string
	required []string
	children map[string]string // member -> object kind ("[]kind" for arrays)
}

var sarifSchema = map[string]sarifObject{
	"log": {
		allowed:  []string{"$schema", "version", "runs", "inlineExternalProperties", "properties"},
		required: []string{"version", "runs"},
		children: map[string]string{"runs": "[]run", "properties": "propertyBag"},
	},
	"run": {
		allowed: []string{"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
			"artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid",
			"redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
			"externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses", "translations", "policies",
			"webRequests", "webResponses", "specialLocations", "properties"},
		required: []string{"tool"},
		children: map[string]string{"tool": "tool", "results": "[]result", "properties": "propertyBag"},
	},
	"tool": {
		allowed:  []string{"driver", "extensions", "properties"},
		required: []string{"driver"},
		children: map[string]string{"driver": "toolComponent", "properties": "propertyBag"},
	},
	"toolComponent": {
		allowed: []string{"guid", "name", "organization", "product", "productSuite", "shortDescription", "fullDescription",
			"fullName", "version", "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
			"globalMessageStrings", "notifications", "rules", "taxa", "locations", "language", "contents", "isComprehensive",
			"localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
			"translationMetadata", "supportedTaxonomies", "properties"},
		required: []string{"name"},
		children: map[string]string{"rules": "[]reportingDescriptor", "shortDescription": "multiformatMessageString", "properties": "propertyBag"},
	},
	"reportingDescriptor": {
		allowed: []string{"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "shortDescription",
			"fullDescription", "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships", "properties"},
		required: []string{"id"},
		children: map[string]string{"shortDescription": "multiformatMessageString", "fullDescription": "multiformatMessageString",
			"help": "multiformatMessageString", "defaultConfiguration": "reportingConfiguration", "properties": "propertyBag"},
	},
	"multiformatMessageString": {
		allowed:  []string{"text", "markdown", "properties"},
		required: []string{"text"},
	},
	"reportingConfiguration": {
		allowed: []string{"enabled", "level", "rank", "parameters", "properties"},
	},
	"result": {
		allowed: []string{"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
			"correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
			"graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri",
			"workItemUris", "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"},
		required: []string{"message"},
		children: map[string]string{"message": "message", "locations": "[]location", "properties": "propertyBag"},
	},
	"message": {
		allowed: []string{"text", "markdown", "id", "arguments", "properties"},
	},
	"location": {
		allowed:  []string{"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"},
		children: map[string]string{"physicalLocation": "physicalLocation", "message": "message"},
	},
	"physicalLocation": {
		allowed:  []string{"address", "artifactLocation", "region", "contextRegion", "properties"},
		children: map[string]string{"artifactLocation": "artifactLocation", "region": "region"},
	},
	"artifactLocation": {
		allowed: []string{"uri", "uriBaseId", "index", "description", "properties"},
	},
	"region": {
		allowed: []string{"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
			"byteLength", "snippet", "message", "sourceLanguage", "properties"},
	},
	"propertyBag": {}, // any members; tags, when present, is checked below
}

// sarifEnums are the members whose values the schema enumerates.
var sarifEnums = map[string][]string{
	"log.version":                  {"2.1.0"},
	"run.columnKind":               {"utf16CodeUnits", "unicodeCodePoints"},
	"result.level":                 {"none", "note", "warning", "error"},
	"result.kind":                  {"notApplicable", "pass", "fail", "review", "open", "informational"},
	"reportingConfiguration.level": {"none", "note", "warning", "error"},
}

// checkSARIF returns every way doc breaks the schema rules above or what
// GitHub code scanning needs.
func checkSARIF(doc []byte) []string {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var problems []string
	bad := func(path, format string, args ...any) {
		problems = append(problems, path+": "+fmt.Sprintf(format, args...))
	}
	var walk func(path, kind string, v any)
	walk = func(path, kind string, v any) {
		if elem, ok := strings.CutPrefix(kind, "[]"); ok {
			arr, ok := v.([]any)
			if !ok {
				bad(path, "want an array")
				return
			}
			for i, x := range arr {
				walk(fmt.Sprintf("%s[%d]", path, i), elem, x)
			}
			return
		}
		obj, ok := v.(map[string]any)
		if !ok {
			bad(path, "want an object (%s)", kind)
			return
		}
		rules := sarifSchema[kind]
		if kind == "propertyBag" {
			if tags, ok := obj["tags"]; ok {
				arr, ok := tags.([]any)
				seen := map[any]bool{}
				for _, t := range arr {
					if _, isStr := t.(string); !isStr || seen[t] {
						ok = false
					}
					seen[t] = true
				}
				if !ok {
					bad(path+".tags", "want an array of unique strings")
				}
			}
			return
		}
		for k := range obj {
			if !slices.Contains(rules.allowed, k) {
				bad(path, "member %q is not allowed in %s", k, kind)
			}
		}
		for _, k := range rules.required {
			if _, ok := obj[k]; !ok {
				bad(path, "%s requires %q", kind, k)
			}
		}
		for k, val := range obj {
			if enum, ok := sarifEnums[kind+"."+k]; ok && !slices.Contains(enum, fmt.Sprint(val)) {
				bad(path+"."+k, "%v is not one of %v", val, enum)
			}
			if child, ok := rules.children[k]; ok {
				walk(path+"."+k, child, val)
			}
		}
		switch kind {
		case "log":
			if s, ok := obj["$schema"].(string); ok && !absoluteURI(s) {
				bad(path+".$schema", "not an absolute URI")
			}
		case "message":
			_, text := obj["text"].(string)
			_, id := obj["id"].(string)
			if !text && !id {
				bad(path, "a message needs text or id")
			}
		case "toolComponent":
			if s, ok := obj["informationUri"].(string); ok && !absoluteURI(s) {
				bad(path+".informationUri", "not an absolute URI")
			}
		case "reportingDescriptor":
			if s, ok := obj["helpUri"].(string); ok && !absoluteURI(s) {
				bad(path+".helpUri", "not an absolute URI")
			}
			if s, _ := obj["id"].(string); s == "" {
				bad(path+".id", "empty")
			}
		case "result":
			if n, ok := obj["ruleIndex"].(float64); ok && n < -1 {
				bad(path+".ruleIndex", "below -1")
			}
		case "physicalLocation":
			if _, ok := obj["artifactLocation"]; !ok {
				if _, ok := obj["address"]; !ok {
					bad(path, "needs artifactLocation or address")
				}
			}
		case "artifactLocation":
			s, ok := obj["uri"].(string)
			if _, err := url.Parse(s); !ok || err != nil {
				bad(path+".uri", "not a URI reference: %q", s)
			}
		case "region":
			for _, k := range []string{"startLine", "startColumn", "endLine", "endColumn"} {
				if n, ok := obj[k]; ok {
					if f, isNum := n.(float64); !isNum || f < 1 || f != float64(int(f)) {
						bad(path+"."+k, "want an integer of at least 1, got %v", n)
					}
				}
			}
		}
	}
	walk("$", "log", v)
	if len(problems) > 0 {
		return problems
	}
	// What GitHub code scanning needs beyond the schema: rules by id, each
	// result's ruleId declared and its ruleIndex pointing at it, and file
	// locations relative to the repository.
	log := v.(map[string]any)
	for ri, r := range log["runs"].([]any) {
		run := r.(map[string]any)
		driver := run["tool"].(map[string]any)["driver"].(map[string]any)
		rules, _ := driver["rules"].([]any)
		var ids []string
		for _, rule := range rules {
			id := rule.(map[string]any)["id"].(string)
			if slices.Contains(ids, id) {
				bad(fmt.Sprintf("$.runs[%d]", ri), "rule %q declared twice", id)
			}
			ids = append(ids, id)
		}
		results, _ := run["results"].([]any)
		for i, x := range results {
			res := x.(map[string]any)
			path := fmt.Sprintf("$.runs[%d].results[%d]", ri, i)
			id, _ := res["ruleId"].(string)
			k := slices.Index(ids, id)
			if k < 0 {
				bad(path, "ruleId %q is not a declared rule", id)
			} else if n, ok := res["ruleIndex"].(float64); ok && int(n) != k {
				bad(path, "ruleIndex %v, the rule is at %d", n, k)
			}
			locs, _ := res["locations"].([]any)
			for _, l := range locs {
				art := l.(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)
				uri := art["uri"].(string)
				if !strings.HasPrefix(uri, "file://") && (strings.HasPrefix(uri, "/") || strings.HasPrefix(uri, "../")) {
					bad(path, "uri %q is neither relative to the repository nor a file URI", uri)
				}
			}
		}
	}
	return problems
}

func absoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.IsAbs() && u.Host != ""
}
