//! Mapping of the local system leaderships (kartläggning). (Being built.)
