using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;

namespace ScoreHub.Host.Core;

/// <summary>Makes FluentValidation name fields the way clients wrote them: camelCase JSON paths.</summary>
internal static class JsonPaths
{
    public static string? PropertyName(Type type, MemberInfo? member, LambdaExpression? expression) =>
        member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name) switch
        {
            // Commands carry events as a list of signals; clients posted them as "events".
            "signals" => "events",
            var name => name,
        };
}
