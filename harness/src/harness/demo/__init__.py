"""The Bắc Kạn demo scenario that `./dx up` loads through the gateway: households of the 8 pilot communes
surveyed in 2022 and 2023, the 2023 smartphone campaign at its real scale, and finalised 2023 DTI
assessments. Generated from a fixed seed, so every machine gets the same scenario."""
