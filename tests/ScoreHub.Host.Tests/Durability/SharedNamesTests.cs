using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;
using ScoreHub.Sdk;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>Event types and property names read back from the ledger share the runtime's interned instances.</summary>
public sealed class SharedNamesTests
{
    // Built at run time, so never the interned instance of the same text.
    private static string Fresh(string text) => new(text.AsSpan());

    [Fact]
    public void Events_read_back_carry_the_interned_type_and_property_names_and_the_same_values()
    {
        var type = Fresh("web.page_viewed");
        var block = new EventBlock.Writer();
        block.Add(new LeadEvent
        {
            Id = "ev-1",
            Type = type,
            OccurredAt = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero),
            ContactId = "c_1",
            Properties = new Dictionary<string, string> { [Fresh("url")] = "https://x.example/pricing", [Fresh("form")] = "demo" },
        }, "api");

        var (e, source) = Assert.Single(EventBlock.Read(block.ToArray()));

        Assert.Same(string.Intern("web.page_viewed"), e.Type);
        Assert.Equal([string.Intern("url"), string.Intern("form")], e.Properties.Keys, ReferenceEqualityComparer.Instance);
        Assert.Equal(["https://x.example/pricing", "demo"], e.Properties.Values);
        Assert.Equal(("ev-1", "api", "c_1"), (e.Id, source, e.ContactId));
    }

    [Fact]
    public void A_name_longer_than_the_limit_is_kept_as_it_came_and_not_interned()
    {
        var name = Fresh("custom." + new string('x', SharedNames.MaxLength));

        Assert.Same(name, SharedNames.Share(name));
        Assert.Null(string.IsInterned(name));
    }
}
