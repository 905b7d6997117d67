"""Print the evaluation figures: ``python -m tests.eval.report``."""

from __future__ import annotations

import sys

from tests.eval import dataset, scores


def main() -> None:
    articles = dataset.load()
    groups = {
        "all": articles,
        "written against (01-04)": [a for a in articles if not (a.held_out or a.blind)],
        "held out (05-08)": [a for a in articles if a.held_out],
        "blind (09-10)": [a for a in articles if a.blind],
    }
    for name, group in groups.items():
        a = scores.attribution_scores(group)
        r = scores.ranking_scores(group)
        print(
            f"{name}: {len(group)} articles, {a.spans} spans, "
            f"{sum(len(x.sentences) for x in group)} sentences"
        )
        print(f"  attribution exact person      {a.person_right}/{a.person} = {a.exact_person:.1%}")
        print(
            f"  person or organisation        {a.named_right}/{a.named} = "
            f"{a.person_or_organisation:.1%}"
        )
        print(f"  names someone when nobody     {a.false_named}/{a.nobody} = {a.false_naming:.1%}")
        print(f"  all spans right               {a.right}/{a.spans} = {a.accuracy:.1%}")
        print(f"  check-worthiness ROC AUC      {r.roc_auc:.3f}")
        print(f"  precision@10 mean             {r.mean_precision_at_10:.2f}")
        for article, value in r.precision_at_10.items():
            print(f"    {article:28} {value:.1f}")
        if "-v" in sys.argv:
            for miss in a.misses:
                print("   miss", miss)


if __name__ == "__main__":
    main()
