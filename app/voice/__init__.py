"""The ear of Viva: audio frames in, endpointed utterances, transcripts out."""
