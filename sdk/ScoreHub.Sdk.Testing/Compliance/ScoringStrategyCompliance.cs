using System.Text.Json;
using Xunit;

namespace ScoreHub.Sdk.Testing;

/// <summary>
/// The <see cref="IScoringStrategy"/> contract as xunit tests: models are validated, not thrown at; evaluation is a
/// pure function of (model, lead, instant); only what was known at the instant counts; <see cref="ScoreEvaluation.NextChangeAt"/>
/// is honest; <see cref="IScoreEvaluator.EventTypes"/> is complete; evaluation never throws and is safe from many threads.
/// </summary>
/// <typeparam name="TStrategy">
/// The entry type, or <see cref="IScoringStrategy"/> when the entry type is internal (a public test class cannot name an internal
/// type argument; the checks use the created instance's own type).
/// </typeparam>
public abstract class ScoringStrategyCompliance<TStrategy> : PluginCompliance<TStrategy>
    where TStrategy : IScoringStrategy
{
    private static readonly string[] WrongShapes = ["null", "0", "\"model\"", "[]", "{}", "[{}]", "true"];

    /// <summary>A valid model exercising as much of the strategy as you can (decay, limits, thresholds, fit rules).</summary>
    protected abstract string ModelJson { get; }

    /// <summary>Realistic leads (use <see cref="LeadBuilder"/>) whose events and properties the model scores.</summary>
    protected abstract IEnumerable<LeadView> SampleLeads();

    /// <summary>
    /// The instants each lead is evaluated at. Default: <see cref="PluginCompliance{TPlugin}.Now"/>, just before the first event,
    /// at every event, between events, and an hour, a day, 30 and 400 days after the last.
    /// </summary>
    protected virtual IEnumerable<DateTimeOffset> Instants(LeadView lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        yield return Now;
        var times = lead.Events.Select(e => e.OccurredAt).Concat(lead.Properties.Names.SelectMany(n => lead.Properties.ChangesOf(n).Select(c => c.At)))
            .Distinct().Order().ToList();
        if (times.Count == 0)
        {
            yield break;
        }

        yield return times[0].AddTicks(-1);
        for (var i = 0; i < times.Count; i++)
        {
            yield return times[i];
            if (i + 1 < times.Count)
            {
                yield return times[i] + ((times[i + 1] - times[i]) / 2);
            }
        }

        var last = times[^1];
        foreach (var later in new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(30), TimeSpan.FromDays(400) })
        {
            yield return last + later;
        }
    }

    /// <summary>The sample model validates.</summary>
    [Fact]
    public void Sample_model_is_valid()
    {
        using var model = JsonDocument.Parse(ModelJson);

        var report = CreatePlugin().ValidateModel(model.RootElement);

        Assert.True(report.IsValid, "The sample model is invalid: " + Errors(report));
    }

    /// <summary>
    /// Models of the wrong shape (each value null or of another type, members missing) get a report naming fields,
    /// never an exception; one the strategy calls valid compiles and evaluates without throwing.
    /// </summary>
    [Fact]
    public void Malformed_models_are_reported_not_thrown()
    {
        var strategy = CreatePlugin();
        var sample = System.Text.Encoding.UTF8.GetBytes(ModelJson);
        var models = WrongShapes.Select(System.Text.Encoding.UTF8.GetBytes)
            .Concat(Mutations.ValueVariants(sample, "application/json", max: 400));
        var leads = SampleLeads().ToList();
        foreach (var json in models)
        {
            using var model = JsonDocument.Parse(json);
            var text = model.RootElement.GetRawText();
            ValidationReport report;
            try
            {
                report = strategy.ValidateModel(model.RootElement);
            }
            catch (Exception ex)
            {
                Assert.Fail($"ValidateModel threw {ex.GetType().Name} ({ex.Message}) for: {text}");
                throw;
            }

            ContractAssert.FieldErrors(report);
            if (!report.IsValid)
            {
                continue;
            }

            try
            {
                var evaluator = strategy.Compile(model.RootElement);
                foreach (var lead in leads)
                {
                    foreach (var at in Instants(lead))
                    {
                        evaluator.Evaluate(lead, at);
                    }
                }
            }
            catch (Exception ex)
            {
                Assert.Fail($"A model ValidateModel accepted threw {ex.GetType().Name} ({ex.Message}) in Compile or Evaluate: {text}");
            }
        }
    }

    /// <summary>The same model, lead and instant always give the same evaluation, from one compilation or two.</summary>
    [Fact]
    public void Evaluation_is_deterministic()
    {
        var first = Compile();
        var second = Compile();
        foreach (var lead in SampleLeads())
        {
            foreach (var at in Instants(lead))
            {
                var expected = first.Evaluate(lead, at);
                ContractAssert.SameEvaluation(expected, first.Evaluate(lead, at));
                ContractAssert.SameEvaluation(expected, second.Evaluate(lead, at));
            }
        }
    }

    /// <summary>Events and property values after the instant do not count.</summary>
    [Fact]
    public void Evaluation_counts_only_what_was_known_at_the_instant()
    {
        var evaluator = Compile();
        foreach (var lead in SampleLeads())
        {
            foreach (var at in Instants(lead))
            {
                ContractAssert.SameEvaluation(evaluator.Evaluate(KnownAt(lead, at), at), evaluator.Evaluate(lead, at));
            }
        }
    }

    /// <summary>
    /// <see cref="ScoreEvaluation.NextChangeAt"/> is later than the instant, and with nothing new happening the score
    /// and label stay as they are until then.
    /// </summary>
    [Fact]
    public void Score_holds_until_the_next_change_it_announces()
    {
        var evaluator = Compile();
        foreach (var lead in SampleLeads())
        {
            foreach (var at in Instants(lead))
            {
                var known = KnownAt(lead, at);
                var now = evaluator.Evaluate(known, at);
                if (now.NextChangeAt is not { } next)
                {
                    continue;
                }

                Assert.True(next > at, $"Lead {lead.Id} at {at:O}: NextChangeAt {next:O} is not later than the instant.");
                foreach (var before in new[] { at + ((next - at) / 2), next.AddTicks(-1) })
                {
                    var then = evaluator.Evaluate(known, before);
                    Assert.True(now.Value.Equals(then.Value) && now.Label == then.Label,
                        $"Lead {lead.Id}: {now.Value} ({now.Label}) at {at:O} became {then.Value} ({then.Label}) at {before:O}, before the announced change at {next:O}.");
                }
            }
        }
    }

    /// <summary>When the evaluator lists the event types it reads, events of other types change nothing.</summary>
    [Fact]
    public void Events_of_types_the_model_does_not_read_change_nothing()
    {
        var evaluator = Compile();
        if (evaluator.EventTypes is not { } read)
        {
            return; // Every type matters to this model.
        }

        var unread = Enumerable.Range(0, 100).Select(i => $"compliance.unread_{i}").First(t => !read.Contains(t));
        foreach (var lead in SampleLeads())
        {
            var noisy = new LeadView
            {
                Id = lead.Id,
                Kind = lead.Kind,
                Properties = lead.Properties,
                Events = [.. lead.Events.SelectMany(e => new[] { e, new LeadEvent { Id = e.Id + ":noise", Type = unread, OccurredAt = e.OccurredAt, ContactId = e.ContactId, Properties = e.Properties } })],
            };
            foreach (var at in Instants(lead))
            {
                ContractAssert.SameEvaluation(evaluator.Evaluate(lead, at), evaluator.Evaluate(noisy, at));
            }
        }
    }

    /// <summary>Unusual leads (none, unknown types, odd property values, far-apart instants, companies) get a finite score, never an exception.</summary>
    [Fact]
    public void Evaluation_never_throws_and_gives_a_finite_score()
    {
        var evaluator = Compile();
        foreach (var lead in UnusualLeads())
        {
            foreach (var at in Instants(lead).Append(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)).Append(Now.AddYears(50)))
            {
                ScoreEvaluation evaluation;
                try
                {
                    evaluation = evaluator.Evaluate(lead, at);
                }
                catch (Exception ex)
                {
                    Assert.Fail($"Evaluate threw {ex.GetType().Name} ({ex.Message}) for lead {lead.Id} at {at:O}.");
                    throw;
                }

                Assert.True(double.IsFinite(evaluation.Value), $"Lead {lead.Id} at {at:O} scored {evaluation.Value}.");
            }
        }
    }

    /// <summary>One evaluator used from many threads at once gives what it gives on one.</summary>
    [Fact]
    public void Evaluation_from_many_threads_matches_one_at_a_time()
    {
        var evaluator = Compile();
        var cases = SampleLeads().SelectMany(l => Instants(l).Select(at => (Lead: l, At: at))).ToList();
        var expected = cases.Select(c => ContractAssert.Describe(evaluator.Evaluate(c.Lead, c.At))).ToList();

        var actual = new string[cases.Count * 4];
        Parallel.For(0, actual.Length, i => actual[i] = ContractAssert.Describe(evaluator.Evaluate(cases[i % cases.Count].Lead, cases[i % cases.Count].At)));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % cases.Count], actual[i]);
        }
    }

    /// <summary>The sample model, validated and compiled.</summary>
    protected IScoreEvaluator Compile()
    {
        using var model = JsonDocument.Parse(ModelJson);
        var strategy = CreatePlugin();
        Assert.True(strategy.ValidateModel(model.RootElement).IsValid, "The sample model is invalid.");
        return strategy.Compile(model.RootElement);
    }

    /// <summary>The lead with only the events and property changes at or before <paramref name="at"/>.</summary>
    protected static LeadView KnownAt(LeadView lead, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadView
        {
            Id = lead.Id,
            Kind = lead.Kind,
            Events = [.. lead.Events.Where(e => e.OccurredAt <= at)],
            Properties = new PropertyHistory(lead.Properties.Names.SelectMany(n => lead.Properties.ChangesOf(n)).Where(c => c.At <= at)),
        };
    }

    private IEnumerable<LeadView> UnusualLeads()
    {
        yield return LeadBuilder.Contact("empty").Build();
        yield return LeadBuilder.Company("empty_company").Build();
        var samples = SampleLeads().ToList();
        var types = samples.SelectMany(l => l.Events.Select(e => e.Type)).Distinct().ToList();
        var eventProperties = samples.SelectMany(l => l.Events.SelectMany(e => e.Properties.Keys)).Distinct().ToList();
        var leadProperties = samples.SelectMany(l => l.Properties.Names).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var oddValues = new[] { "", " ", "NaN", "-Infinity", "1e308", "-1e308", "0x10", "not a number", new string('x', 8192) };

        var odd = LeadBuilder.Contact("odd_values");
        var at = Now.AddDays(-10);
        foreach (var type in types.Append("unknown.type"))
        {
            foreach (var value in oddValues)
            {
                odd.Event(type, at, [.. eventProperties.Select(p => (p, value))]);
                at = at.AddMinutes(1);
            }
        }

        foreach (var name in leadProperties)
        {
            foreach (var value in oddValues)
            {
                odd.Property(name, value, at);
                at = at.AddMinutes(1);
            }

            odd.Property(name, null, at);
        }

        yield return odd.Build();

        var burst = LeadBuilder.Contact("same_instant");
        foreach (var type in types)
        {
            for (var i = 0; i < 50; i++)
            {
                burst.Event(type, Now);
            }
        }

        yield return burst.Build();

        var spread = LeadBuilder.Company("far_apart");
        foreach (var type in types)
        {
            spread.EventBy("c1", type, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))
                .EventBy("c2", type, Now.AddYears(20));
        }

        yield return spread.Build();
    }
}
