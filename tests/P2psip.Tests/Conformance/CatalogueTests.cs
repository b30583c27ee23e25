using System.Text.RegularExpressions;
using P2psip.Conformance;
using P2psip.Conformance.Catalogue;
using P2psip.Conformance.Reports;
using P2psip.Peer;

namespace P2psip.Tests.Conformance;

/// <summary>
/// The suite's catalogue as data (issue 13, "Done when"): stable well-formed IDs, every threat of
/// THREATS.md covered, every defence of the reference detected by some case, preconditions that exist.
/// </summary>
public partial class CatalogueTests
{
    private static readonly IReadOnlyList<ConformanceCase> Cases = SuiteCatalogue.All;

    [GeneratedRegex(@"^(TR|UN|PC)-\d+[a-z]?-\d{2}$")]
    private static partial Regex IdShape();

    [Fact]
    public void Case_ids_are_unique_and_well_formed()
    {
        var duplicates = Cases.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicate case IDs: " + string.Join(", ", duplicates));
        var malformed = Cases.Where(c => !IdShape().IsMatch(c.Id)).Select(c => c.Id).ToList();
        Assert.True(malformed.Count == 0, "case IDs not of the form TR|UN|PC-N[x]-NN: " + string.Join(", ", malformed));
    }

    [Fact]
    public void Every_case_id_begins_with_its_primary_threat()
    {
        var wrong = Cases.Where(c => !c.Id.StartsWith(c.Threat + "-", StringComparison.Ordinal)).Select(c => $"{c.Id} (primary {c.Threat})").ToList();
        Assert.True(wrong.Count == 0, "cases whose ID does not begin with their primary threat: " + string.Join(", ", wrong));
    }

    [Fact]
    public void Every_threat_a_case_names_is_a_threat_of_THREATS_md()
    {
        var known = ThreatCatalogue.All.Select(t => t.Id).ToHashSet();
        var unknown = Cases.SelectMany(c => c.Threats.Where(t => !known.Contains(t)).Select(t => $"{c.Id} names {t}")).ToList();
        Assert.True(unknown.Count == 0, string.Join(", ", unknown));
    }

    [Fact]
    public void Every_TR_and_UN_threat_has_at_least_two_cases()
    {
        var missing = ThreatCatalogue.Trusted.Concat(ThreatCatalogue.Untrusted)
            .Select(t => (t.Id, Count: Cases.Count(c => c.Threats.Contains(t.Id))))
            .Where(x => x.Count < 2)
            .Select(x => $"{x.Id} ({x.Count} case{(x.Count == 1 ? "" : "s")})")
            .ToList();
        Assert.True(missing.Count == 0, "threats with fewer than two cases (counting every threat a case lists): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_PC_check_has_a_case()
    {
        var missing = ThreatCatalogue.ProtocolConformance.Where(t => !Cases.Any(c => c.Threats.Contains(t.Id))).Select(t => t.Id).ToList();
        Assert.True(missing.Count == 0, "protocol-conformance checks with no case: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_defence_of_the_reference_is_detected_by_a_case()
    {
        var undetected = DefenceSwitches.Catalogue.Select(d => d.Name).Where(name => !Cases.Any(c => c.Detects.Contains(name))).ToList();
        Assert.True(undetected.Count == 0, "defences no case declares (Detects): " + string.Join(", ", undetected));
        var unknown = Cases.SelectMany(c => c.Detects.Where(d => !DefenceSwitches.Catalogue.Any(x => x.Name == d)).Select(d => $"{c.Id} detects {d}")).ToList();
        Assert.True(unknown.Count == 0, "cases declaring defences the reference does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_precondition_names_an_existing_case_and_none_needs_itself()
    {
        var ids = Cases.Select(c => c.Id).ToHashSet();
        var dangling = Cases.SelectMany(c => c.Needs.Where(n => !ids.Contains(n) || n == c.Id).Select(n => $"{c.Id} needs {n}")).ToList();
        Assert.True(dangling.Count == 0, string.Join(", ", dangling));
    }

    [Fact]
    public void The_run_order_puts_every_precondition_before_the_cases_that_need_it()
    {
        var order = P2psip.Conformance.Running.CertificationRunner.Order(Cases).Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var late = Cases.SelectMany(c => c.Needs.Where(n => order[n] > order[c.Id]).Select(n => $"{n} runs after {c.Id}")).ToList();
        Assert.True(late.Count == 0, string.Join(", ", late));
    }

    [Fact]
    public void Every_case_says_what_it_checks_and_where_the_rule_comes_from()
    {
        var bare = Cases.Where(c => c.Threats.Count == 0 || c.Rfc.Count == 0 || string.IsNullOrWhiteSpace(c.Title)
            || string.IsNullOrWhiteSpace(c.Setup) || string.IsNullOrWhiteSpace(c.Stimulus) || string.IsNullOrWhiteSpace(c.Oracle)).Select(c => c.Id).ToList();
        Assert.True(bare.Count == 0, "cases missing a threat, RFC clause, title, setup, stimulus or oracle: " + string.Join(", ", bare));
        var badRfc = Cases.SelectMany(c => c.Rfc.Where(r => !Regex.IsMatch(r, @"^\d+(\.\d+)*$")).Select(r => $"{c.Id}: '{r}'")).ToList();
        Assert.True(badRfc.Count == 0, "RFC clauses that are not section numbers: " + string.Join(", ", badRfc));
    }

    [Fact]
    public void Find_returns_each_case_by_its_id_and_null_for_none()
    {
        Assert.All(Cases, c => Assert.Same(c, SuiteCatalogue.Find(c.Id)));
        Assert.Null(SuiteCatalogue.Find("TR-99-01"));
    }
}
