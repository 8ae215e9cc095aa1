using System.Text.Json;
using ScoreHub.Host.Core.Leads;
using ScoreHub.Host.Storage;

namespace ScoreHub.Host.Tests.Durability;

/// <summary>The compact form the ledger keeps each event's properties in behaves as the dictionary it replaces.</summary>
public sealed class EventPropertiesTests
{
    private static string Fresh(string text) => new(text.AsSpan());

    [Fact]
    public void Finds_every_property_by_an_equal_name_whether_or_not_it_is_the_shared_instance_and_nothing_else()
    {
        var properties = EventProperties.From(new Dictionary<string, string>
        {
            ["url"] = "https://x.example/pricing",
            ["Referrer"] = "https://search.example",
            ["utm_source"] = "",
        });

        Assert.IsType<EventProperties>(properties);
        Assert.Equal(3, properties.Count);
        Assert.Equal("https://x.example/pricing", properties[Fresh("url")]);
        Assert.Equal("https://search.example", properties["Referrer"]);
        Assert.True(properties.TryGetValue("utm_source", out var empty));
        Assert.Equal("", empty);
        Assert.False(properties.ContainsKey("referrer")); // names are case-sensitive, as the dictionary's were
        Assert.False(properties.TryGetValue("form", out _));
        var missing = Assert.Throws<KeyNotFoundException>(() => properties["form"]);
        Assert.Equal("No event property 'form'.", missing.Message);
    }

    [Fact]
    public void Keeps_the_order_the_properties_came_in_and_serializes_as_a_json_object()
    {
        var properties = EventProperties.FromItems(["url", "/pricing", "form", "demo", "plan", "pro"]);

        Assert.Equal(["url", "form", "plan"], properties.Keys);
        Assert.Equal(["/pricing", "demo", "pro"], properties.Values);
        Assert.Equal("""{"url":"/pricing","form":"demo","plan":"pro"}""", JsonSerializer.Serialize(properties));
        Assert.Same(string.Intern("plan"), properties.Keys.Last());
    }

    [Fact]
    public void No_properties_is_the_shared_empty_map_and_more_than_the_inline_limit_a_dictionary()
    {
        Assert.Same(EventProperties.Empty, EventProperties.From(new Dictionary<string, string>()));

        var many = Enumerable.Range(0, EventProperties.MaxInline + 1).ToDictionary(i => $"p{i}", i => $"v{i}");
        var stored = EventProperties.From(many);

        Assert.IsType<Dictionary<string, string>>(stored);
        Assert.Equal(many, stored);
        Assert.IsType<EventProperties>(EventProperties.From(many.Take(EventProperties.MaxInline).ToDictionary()));
    }
}
