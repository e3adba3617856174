"""The appraisal (thẩm định): council, assignment, round 1, the unit's answers, round 2,
consolidation and the chair's approval (seeds 004 Bắc Giang QT.CCHC.01 B3–B5; 001 Thái Nguyên
§II.6, §III.3; 002 Thái Bình §4)."""
